import { suite } from "uvu";
import { fixturePath } from "../helpers/fixtures";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkNode, checkBackend, checkCache, checkDisk, checkEngine, checkFrontEnd, checkJupyter, checkKernels, formatResult } from "../../src/cli/doctorChecks";
import { installKernels, stripesKernelEntry } from "../../src/jupyter/install";
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
  assert.match(backend.detail, /^(wasm|cpu|tensorflow), \d+ threads?(?: \(\d+ for inference\))?: conv 3×3 64→64 at 64×64 in [\d.]+ ms/);
  assert.is(training.status, "ok", training.detail);
  assert.match(training.detail, /conv gradients \(input and weight\) in [\d.]+ ms/);
});

s("inference engine: names the engine and times a generator's forward pass", async () => {
  const r = await checkEngine();
  assert.ok(r.status === "ok" || r.status === "warn", r.detail);
  assert.match(r.detail, /^(onnx|tfjs) \(.+\): generator forward at 128×128 in \d+ ms/);
  if (r.status === "warn") assert.match(r.fix, /onnxruntime-node/);
});

s("lesson files: missing is a warning, or a failure with --offline; both say how to fix", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-doctor-"));
  const env = { STRIPES_CACHE: dir };
  const online = await checkCache({ env });
  assert.is(online.status, "warn");
  assert.match(online.detail, /horse2zebra_0\.4\.0\.pth, horse\.jpg not downloaded yet/);
  assert.match(online.fix, /^npx stripes-gan fetch /);
  assert.is((await checkCache({ env, offline: true })).status, "fail");
  fs.writeFileSync(path.join(dir, ARTICLE_FILES.image.name), "not a jpeg");
  const corrupt = await checkCache({ env });
  assert.is(corrupt.status, "fail");
  assert.match(corrupt.detail, /horse\.jpg corrupt \(wrong SHA-1\)/);
  assert.match(corrupt.fix, /delete horse\.jpg and run npx stripes-gan fetch/);
  fs.rmSync(dir, { recursive: true });
});

s("lesson files: STRIPES_WEIGHTS / STRIPES_IMAGE naming good files pass --offline with nothing cached; bad ones fail naming the variable", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-doctor-"));
  const weights = fixturePath("notebook", "generator.pth");
  const image = fixturePath("notebook", "meadow.png");
  const good = await checkCache({ env: { STRIPES_CACHE: dir, STRIPES_WEIGHTS: weights, STRIPES_IMAGE: image }, offline: true });
  assert.is(good.status, "ok", good.detail);
  assert.is(good.detail, `STRIPES_WEIGHTS=${weights}; STRIPES_IMAGE=${image}`);
  // one of the two set: the other must still be cached
  const half = await checkCache({ env: { STRIPES_CACHE: dir, STRIPES_IMAGE: image }, offline: true });
  assert.is(half.status, "fail");
  assert.match(half.detail, /^STRIPES_IMAGE=.*meadow\.png; .*: horse2zebra_0\.4\.0\.pth not downloaded yet$/);
  const gone = await checkCache({ env: { STRIPES_CACHE: dir, STRIPES_WEIGHTS: path.join(dir, "nope.pth"), STRIPES_IMAGE: image } });
  assert.is(gone.status, "fail");
  assert.is(gone.detail, `STRIPES_WEIGHTS=${path.join(dir, "nope.pth")}: no such file`);
  // an image where the weights belong, and a checkpoint where the image belongs
  const swapped = await checkCache({ env: { STRIPES_CACHE: dir, STRIPES_WEIGHTS: image, STRIPES_IMAGE: weights } });
  assert.is(swapped.status, "fail");
  assert.match(swapped.detail, /^STRIPES_WEIGHTS=\S+meadow\.png: .+; STRIPES_IMAGE=\S+generator\.pth: .+$/);
  assert.not.match(swapped.detail, /\n/);
  fs.rmSync(dir, { recursive: true });
});

s("free disk: measured on the nearest existing folder", () => {
  const r = checkDisk(path.join(os.tmpdir(), "does", "not", "exist"));
  assert.match(r.detail, new RegExp(`free at ${os.tmpdir().replace(/[/\\]/g, ".")}`));
});

s("Jupyter: a Python without it is a warning (stripes run needs none) with install advice", () => {
  const [r] = checkJupyter("/nonexistent/python3");
  assert.is(r.status, "warn");
  assert.match(r.detail, /^no Python with Jupyter found \(\/nonexistent\/python3: not found\)/);
  assert.match(r.fix, /apt-get install jupyter-nbconvert/);
});

/** A scratch HOME and a PATH of fake programs that print a version, so nothing real is found or run. */
function fakeMachine(programs: Record<string, string>): { root: string; env: NodeJS.ProcessEnv } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-doctor-"));
  const bin = path.join(root, "bin");
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(root, "home"));
  for (const [name, version] of Object.entries(programs)) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  }
  // The system's Jupyter folders too (jupyter_core's platformdirs mode reads them from
  // XDG_DATA_DIRS), so kernels installed on this machine as root are not seen.
  return { root, env: { PATH: bin, HOME: path.join(root, "home"), JUPYTER_PLATFORM_DIRS: "1", XDG_DATA_DIRS: path.join(root, "system") } };
}

s("notebook front end: none on a bare machine is a warning with what to install", () => {
  const { root, env } = fakeMachine({});
  try {
    const r = checkFrontEnd(env);
    assert.is(r.status, "warn");
    assert.is(r.detail, "none found (no jupyter-lab or jupyter-notebook on PATH, no VS Code): stripes run and nbconvert still run the lessons, but not interactively");
    assert.match(r.fix, /pip install jupyterlab ipywidgets/);
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});

s("notebook front end: JupyterLab, Notebook 7 and classic Notebook are found on PATH by version", () => {
  const { root, env } = fakeMachine({ "jupyter-lab": "4.2.5", "jupyter-notebook": "7.2.1" });
  try {
    assert.equal(checkFrontEnd(env), { name: "notebook front end", status: "ok", detail: "JupyterLab 4.2.5, Notebook 7.2.1", fix: "" });
  } finally {
    fs.rmSync(root, { recursive: true });
  }
  const classic = fakeMachine({ "jupyter-notebook": "6.4.12" });
  try {
    assert.is(checkFrontEnd(classic.env).detail, "classic Notebook 6.4.12");
  } finally {
    fs.rmSync(classic.root, { recursive: true });
  }
});

s("notebook front end: VS Code counts only with its Jupyter extension", () => {
  const { root, env } = fakeMachine({ code: "1.95.0" });
  try {
    const without = checkFrontEnd(env);
    assert.is(without.status, "warn");
    assert.match(without.detail, /VS Code is on PATH but has no Jupyter extension \(ms-toolsai\.jupyter\)/);
    fs.mkdirSync(path.join(env.HOME!, ".vscode", "extensions", "ms-toolsai.jupyter-2024.10.0"), { recursive: true });
    fs.mkdirSync(path.join(env.HOME!, ".vscode", "extensions", "ms-toolsai.jupyter-keymap-1.1.2"), { recursive: true });
    const withExt = checkFrontEnd(env);
    assert.is(withExt.status, "ok");
    assert.is(withExt.detail, "VS Code with its Jupyter extension (ms-toolsai.jupyter-2024.10.0)");
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});

s("kernels: not registered fails (stripes) or warns (tslab); registered in JUPYTER_PATH is found; a moved install fails", () => {
  const { root, env } = fakeMachine({});
  try {
    const [stripes, tslab] = checkKernels({ env });
    assert.is(stripes.status, "fail");
    assert.is(stripes.detail, "not registered (lessons open on it)");
    assert.is(stripes.fix, "npx stripes-gan kernel install");
    assert.is(tslab.status, "warn");
    const prefix = path.join(root, "prefix");
    installKernels({ prefix, env });
    const withPath = { ...env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") };
    const [s2, t2] = checkKernels({ env: withPath });
    assert.is(t2.status, "ok", t2.detail);
    assert.match(t2.detail, new RegExp(`^registered in ${path.join(prefix, "share", "jupyter", "kernels", "tslab").replace(/[/.]/g, "\\$&")}: `));
    // the stripes kernel's entry exists once the package is built (npm test builds first)
    if (fs.existsSync(stripesKernelEntry())) assert.is(s2.status, "ok", s2.detail);
    else assert.is(s2.detail, `registered in ${path.join(prefix, "share", "jupyter", "kernels", "stripes")}, but ${stripesKernelEntry()} is missing`);
    const spec = path.join(prefix, "share", "jupyter", "kernels", "tslab", "kernel.json");
    fs.writeFileSync(spec, JSON.stringify({ argv: ["/gone/node", "/gone/tslab"], display_name: "TypeScript", language: "typescript" }));
    const [, moved] = checkKernels({ env: withPath });
    assert.is(moved.status, "fail");
    assert.is(moved.detail, `registered in ${path.dirname(spec)}, but /gone/node is missing`);
  } finally {
    fs.rmSync(root, { recursive: true });
  }
});

s("a result prints as one line, plus a fix line when there is something to fix", () => {
  assert.is(formatResult({ name: "x", status: "ok", detail: "fine", fix: "" }), "✓ x: fine");
  assert.is(formatResult({ name: "x", status: "fail", detail: "bad", fix: "do y" }), "✗ x: bad\n    fix: do y");
});

s.run();
