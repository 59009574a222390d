import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkNode, checkBackend, checkCache, checkDisk, checkEngine, checkJupyter, formatResult } from "../../src/cli/doctor";
import { ARTICLE_FILES } from "../../src/fetch/fetch";

const s = suite("stripes doctor");

s("Node.js: this one passes; an old one fails and says what to install", () => {
  assert.is(checkNode().status, "ok");
  const old = checkNode("18.19.0");
  assert.is(old.status, "fail");
  assert.match(old.detail, /18\.19\.0 is too old \(need ≥ 20\)/);
  assert.match(old.fix, /install Node\.js 20/);
});

s("backend: names the backend, times a conv, and checks that conv gradients work", async () => {
  const [backend, training] = await checkBackend();
  assert.match(backend.detail, /^(wasm|cpu|tensorflow): conv 3×3 64→64 at 64×64 in [\d.]+ ms/);
  assert.is(training.status, "ok", training.detail);
  assert.match(training.detail, /conv gradients \(input and weight\) in [\d.]+ ms/);
});

s("inference engine: names the engine and times a generator's forward pass", async () => {
  const r = await checkEngine();
  assert.ok(r.status === "ok" || r.status === "warn", r.detail);
  assert.match(r.detail, /^(onnx|tfjs) \(.+\): generator forward at 128×128 in \d+ ms/);
  if (r.status === "warn") assert.match(r.fix, /onnxruntime-node/);
});

s("cached weights: missing is a warning, or a failure with --offline; both say how to fix", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-doctor-"));
  const env = { STRIPES_CACHE: dir };
  const online = await checkCache({ env });
  assert.is(online.status, "warn");
  assert.match(online.detail, /horse2zebra_0\.4\.0\.pth, horse\.jpg not downloaded yet/);
  assert.match(online.fix, /stripes fetch/);
  assert.is((await checkCache({ env, offline: true })).status, "fail");
  fs.writeFileSync(path.join(dir, ARTICLE_FILES.image.name), "not a jpeg");
  const corrupt = await checkCache({ env });
  assert.is(corrupt.status, "fail");
  assert.match(corrupt.detail, /horse\.jpg corrupt \(wrong SHA-1\)/);
  assert.match(corrupt.fix, /delete horse\.jpg and run stripes fetch/);
  fs.rmSync(dir, { recursive: true });
});

s("free disk: measured on the nearest existing folder", () => {
  const r = checkDisk(path.join(os.tmpdir(), "does", "not", "exist"));
  assert.match(r.detail, new RegExp(`free at ${os.tmpdir().replace(/[/\\]/g, ".")}`));
});

s("Jupyter: a Python without it fails with install advice", () => {
  const [r] = checkJupyter("/nonexistent/python3");
  assert.is(r.status, "fail");
  assert.match(r.fix, /apt-get install jupyter-nbconvert/);
});

s("a result prints as one line, plus a fix line when there is something to fix", () => {
  assert.is(formatResult({ name: "x", status: "ok", detail: "fine", fix: "" }), "✓ x: fine");
  assert.is(formatResult({ name: "x", status: "fail", detail: "bad", fix: "do y" }), "✗ x: bad\n    fix: do y");
});

s.run();
