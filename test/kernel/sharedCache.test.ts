/**
 * Two notebooks on two stripes kernels at once, sharing one STRIPES_CACHE folder (a workshop
 * machine, or a learner with two tabs): both cells download the same file with stripes'
 * `fetchFile` into the cache at the same time, from a slow local server on 127.0.0.1. Both
 * finish with the whole, verified file; the cache holds that one file and no `.part`; a second
 * cell in each kernel is served from the cache (no new request).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { Kernel, stripesKernelArgv, type Message } from "../../src/jupyter/client";
import { gitBlobSha1 } from "../../src/fetch/fetch";

const ROOT = path.join(__dirname, "..", "..");
const body = randomBytes(3_000_000);
const file = { name: "shared.bin", blobSha1: gitBlobSha1(body), what: "a test file" };

const C = suite("two kernels, one cache folder");

C("both download the same file into the cache at once: both verified, one file, no .part, then both read the cache", async () => {
  const requests: string[] = [];
  // The answers start once both kernels have asked (or 30 s after the first): the two downloads
  // into the cache are under way at the same time, whichever kernel compiled its cell first.
  const waiting: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.url} ${req.headers.range ?? ""}`.trim());
    let at = 0;
    const send = () => {
      if (res.destroyed) return;
      if (at >= body.length) return void res.end();
      res.write(body.subarray(at, (at += 100_000)));
      setTimeout(send, 20); // about 0.6 s a download
    };
    waiting.push(() => {
      res.writeHead(200, { "Content-Length": body.length });
      send();
    });
    if (waiting.length === 2) waiting.forEach((go) => go());
    else setTimeout(() => waiting.length === 1 && waiting[0](), 30_000);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-shared-cache-")); // under the repo: "stripes" resolves
  const cache = path.join(dir, "cache");
  const { FORCE_COLOR: _, ...env } = process.env;
  const kernels: Kernel[] = [];
  try {
    for (let i = 0; i < 2; i++) kernels.push(await Kernel.start({ cwd: dir, env: { ...env, STRIPES_CACHE: cache, STRIPES_FETCH_BASE: base }, argv: stripesKernelArgv() }));
    const cell =
      'import { fetchFile, gitBlobSha1 } from "stripes";\n' +
      'import * as fs from "node:fs";\n' +
      `const got = await fetchFile(${JSON.stringify(file)}, { onEvent: () => {} });\n` +
      "console.log(JSON.stringify({ got, sha: gitBlobSha1(fs.readFileSync(got)) }));";
    const run = async (k: Kernel, code: string) => {
      let out = "";
      const reply = await k.execute(code, { timeoutMs: 120_000, onIopub: (m: Message) => void (m.header.msg_type === "stream" && (out += m.content.text)) });
      assert.is(reply.status, "ok", `${JSON.stringify(reply)} ${out}`);
      return JSON.parse(out.trim().split("\n").pop()!) as { got: string; sha: string };
    };
    for (const k of kernels) await run(k, 'import { fetchFile, gitBlobSha1 } from "stripes";\nconsole.log("{}");'); // compiled once each
    const began = Date.now();
    const both = await Promise.all(kernels.map((k) => run(k, cell)));
    console.log(`  two kernels fetched ${body.length.toLocaleString("en")} bytes into one cache at once in ${Date.now() - began} ms; ${requests.length} requests`);
    assert.is(requests.length, 2, "both kernels downloaded");
    for (const r of both) assert.equal(r, { got: path.join(cache, file.name), sha: file.blobSha1 });
    assert.equal(fs.readdirSync(cache), [file.name]);
    assert.ok(fs.readFileSync(path.join(cache, file.name)).equals(body));
    const seen = requests.length;
    const again = await Promise.all(kernels.map((k) => run(k, cell.replace(/const got/, "const got2").replace(/\{ got, /, "{ got: got2, ").replace(/readFileSync\(got\)/, "readFileSync(got2)"))));
    for (const r of again) assert.equal(r, { got: path.join(cache, file.name), sha: file.blobSha1 });
    assert.is(requests.length, seen, "the second cells were served from the cache");
  } finally {
    await Promise.all(kernels.map((k) => k.shutdown()));
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

C.run();
