/**
 * `room serve`'s server: the isolation headers (the values the COOP/COEP/CORP specs name for a
 * cross-origin isolated page), MIME types browsers insist on (application/wasm for streaming
 * compilation, a JavaScript type for module workers), `..` refused even when the client does
 * not normalise it, 404s, and one-line errors for a missing folder and a port in use.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as http from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RoomError } from "../../src/room/errors";
import { parsePort, resolveInside, serveRoom, type RoomServer } from "../../src/room/site/serve";
import { cliWith } from "../helpers/cli";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw GET (http.get sends the path as given: no `..` folding as a browser or fetch would do). */
function get(port: number, rawPath: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: rawPath, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

let tmp = "";
let site = "";
let served: RoomServer;
const Serve = suite("room serve");
Serve.before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-serve-"));
  site = join(tmp, "site");
  mkdirSync(join(site, "lab"), { recursive: true });
  mkdirSync(join(site, "files"), { recursive: true });
  writeFileSync(join(site, "index.html"), "<!doctype html><title>root</title>");
  writeFileSync(join(site, "lab", "index.html"), "<!doctype html><title>lab</title>");
  writeFileSync(join(site, "app.js"), "console.log(1)");
  writeFileSync(join(site, "jupyter-lite.json"), "{}");
  writeFileSync(join(site, "tfjs-backend-wasm.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(site, "files", "01-lesson.ipynb"), '{"cells":[]}');
  writeFileSync(join(tmp, "secret.txt"), "outside the site");
  served = await serveRoom(site, { port: 0, host: "127.0.0.1" });
});
Serve.after(async () => {
  await served.close();
  rmSync(tmp, { recursive: true, force: true });
});

Serve("every response carries COOP same-origin, COEP require-corp and CORP same-origin (404s too)", async () => {
  for (const p of ["/", "/app.js", "/nope.js"]) {
    const r = await get(served.port, p);
    assert.is(r.headers["cross-origin-opener-policy"], "same-origin", p);
    assert.is(r.headers["cross-origin-embedder-policy"], "require-corp", p);
    assert.is(r.headers["cross-origin-resource-policy"], "same-origin", p);
  }
});

Serve("MIME types: wasm, js, json, ipynb, html", async () => {
  const type = async (p: string) => String((await get(served.port, p)).headers["content-type"]).split(";")[0];
  assert.is(await type("/tfjs-backend-wasm.wasm"), "application/wasm");
  assert.is(await type("/app.js"), "text/javascript");
  assert.is(await type("/jupyter-lite.json"), "application/json");
  assert.is(await type("/files/01-lesson.ipynb"), "application/x-ipynb+json");
  assert.is(await type("/lab/index.html"), "text/html");
});

Serve("a folder serves its index.html; without the slash it is redirected to it", async () => {
  const r = await get(served.port, "/lab/");
  assert.is(r.status, 200);
  assert.match(r.body, /<title>lab<\/title>/);
  const bare = await get(served.port, "/lab?x=1");
  assert.is(bare.status, 301);
  assert.is(bare.headers.location, "/lab/?x=1");
});

Serve("the file's bytes, a HEAD without them, 404 for a missing file, 405 for POST", async () => {
  const r = await get(served.port, "/files/01-lesson.ipynb");
  assert.is(r.status, 200);
  assert.is(r.body, '{"cells":[]}');
  const head = await get(served.port, "/app.js", "HEAD");
  assert.is(head.status, 200);
  assert.is(head.headers["content-length"], "14");
  assert.is(head.body, "");
  assert.is((await get(served.port, "/files/02-missing.ipynb")).status, 404);
  assert.is((await get(served.port, "/app.js", "POST")).status, 405);
});

Serve("`..` is refused, plain or percent-encoded, and never reaches a file outside", async () => {
  for (const p of ["/../secret.txt", "/files/../../secret.txt", "/%2e%2e/secret.txt", "/files/%2E%2E%2F..%2Fsecret.txt", "/..%5csecret.txt", "/%zz"]) {
    const r = await get(served.port, p);
    assert.is(r.status, 403, p);
    assert.not.match(r.body, /outside the site/, p);
  }
  assert.is(resolveInside("/srv/site", "/a/../b"), null);
  assert.is(resolveInside("/srv/site", "/a/b.js?v=1"), join("/srv/site", "a", "b.js"));
});

Serve("a port in use → a RoomError naming --port", async () => {
  try {
    await serveRoom(site, { port: served.port, host: "127.0.0.1" });
    assert.unreachable("listened twice");
  } catch (err) {
    assert.instance(err, RoomError);
    assert.match((err as Error).message, new RegExp(`^--port ${served.port}: already in use`));
  }
});

Serve("--port must be a number 0–65535", () => {
  assert.is(parsePort("8000"), 8000);
  assert.is(parsePort("0"), 0);
  for (const bad of ["abc", "-1", "70000", "80.5", ""]) assert.throws(() => parsePort(bad), /--port .*: not a port number/);
});

Serve.run();

const Cli = suite("stripes-gan room serve on the command line");

Cli("a missing folder: one line naming it, exit 1, no stack trace", () => {
  const missing = join(tmpdir(), "stripes-no-such-room-folder");
  const r = cliWith({ timeout: 60_000 }, "room", "serve", missing, "--port", "0");
  assert.is(r.status, 1, r.stderr);
  assert.is(r.stderr, `stripes: ${missing}: no such folder (make the site with \`stripes-gan room build\`)\n`);
});

Cli("a port in use: one line naming --port, exit 1", async () => {
  const busy = http.createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  const port = (busy.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), "stripes-serve-cli-"));
  try {
    // spawnSync blocks this process, so `busy` never answers; the port stays taken all the same.
    const r = cliWith({ timeout: 60_000 }, "room", "serve", dir, "--port", String(port), "--host", "127.0.0.1");
    assert.is(r.status, 1, r.stderr);
    assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^stripes: --port ${port}: already in use`));
  } finally {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

Cli.run();
