/**
 * `stripes fetch` against a local HTTP server on 127.0.0.1: a good file, a corrupt one, a 404,
 * a connection dropped half-way (resumed with a Range request), a server that ignores Range,
 * a leftover .part from an earlier run, a fetch process killed mid-file and fetched again, and an
 * unreachable server. Never the internet.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import {
  ARTICLE_FILES,
  baseUrl,
  BOOK_BASE_URL,
  cacheDir,
  fetchFile,
  gitBlobSha1,
  gitBlobSha1OfFile,
  type FetchEvent,
  type RemoteFile,
} from "../../src/fetch/fetch";
import { FetchError } from "../../src/fetch/errors";
import { cli as runCli } from "../helpers/cli";

const body = randomBytes(300_000);
const good: RemoteFile = { name: "weights.pth", blobSha1: gitBlobSha1(body), what: "test weights" };

interface Seen {
  url: string;
  range?: string;
}

/**
 * Routes: /good/, /corrupt/, /missing/, /drop/ (first answer cut at 100 KB), /norange/ (never 206),
 * /stall/ (a whole-file answer sends 100 KB, then holds the connection open; Range answers whole).
 */
function startServer(): Promise<{ base: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  let drops = 0;
  const server = http.createServer((req, res) => {
    const url = req.url ?? "";
    const range = req.headers.range;
    seen.push({ url, range });
    const [, route] = url.split("/");
    if (route === "missing") {
      res.writeHead(404).end("not here");
      return;
    }
    const data = route === "corrupt" ? Buffer.concat([body.subarray(0, 1000), Buffer.from("x"), body.subarray(1001)]) : body;
    const m = /^bytes=(\d+)-$/.exec(range ?? "");
    if (m && route !== "norange") {
      const from = Number(m[1]);
      if (from >= data.length) {
        res.writeHead(416, { "Content-Range": `bytes */${data.length}` }).end();
        return;
      }
      res.writeHead(206, { "Content-Length": data.length - from, "Content-Range": `bytes ${from}-${data.length - 1}/${data.length}` });
      res.end(data.subarray(from));
      return;
    }
    res.writeHead(200, { "Content-Length": data.length });
    if (route === "stall") {
      res.write(data.subarray(0, 100_000)); // and nothing more: the client is killed meanwhile
      return;
    }
    if (route === "drop" && drops++ === 0) {
      res.write(data.subarray(0, 100_000), () => res.socket?.end()); // the connection drops mid-body
      return;
    }
    res.end(data);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        base: `http://127.0.0.1:${port}`,
        seen,
        close: () => new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections(); // a stalled answer would keep close() waiting
        }),
      });
    });
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "stripes-fetch-"));
}

const quiet = { onEvent: () => {} };

const hash = suite("gitBlobSha1");

hash("matches git's blob hashes (values printed by `git hash-object`)", async () => {
  // The empty blob and "hello\n" have well-known git ids.
  assert.is(gitBlobSha1(new Uint8Array()), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  assert.is(gitBlobSha1(Buffer.from("hello\n")), "ce013625030ba8dba906f756967f9e9ca394464a");
  const dir = tempDir();
  const file = path.join(dir, "x.bin");
  fs.writeFileSync(file, body);
  const git = spawnSync("git", ["hash-object", file], { encoding: "utf8" });
  if (git.status === 0) assert.is(await gitBlobSha1OfFile(file), git.stdout.trim());
  assert.is(await gitBlobSha1OfFile(file), gitBlobSha1(body));
  assert.is.not(gitBlobSha1(body), createHash("sha1").update(body).digest("hex")); // not a plain SHA-1
});

hash("the article's files and where they come from", () => {
  assert.is(ARTICLE_FILES.weights.name, "horse2zebra_0.4.0.pth");
  assert.is(ARTICLE_FILES.weights.blobSha1, "ce10268a67fba8227bd42a071e17eef1b358fa2b");
  assert.is(ARTICLE_FILES.image.blobSha1, "a5dd8be158bac9af6fee6621711090b53df3d7a4");
  assert.is(BOOK_BASE_URL, "https://raw.githubusercontent.com/deep-learning-with-pytorch/dlwpt-code/master/data/p1ch2/");
  assert.is(baseUrl({ STRIPES_FETCH_BASE: "http://127.0.0.1:9/x" }), "http://127.0.0.1:9/x/");
  assert.is(cacheDir({ STRIPES_CACHE: "/tmp/c" }), "/tmp/c");
  if (process.platform === "linux") {
    assert.is(cacheDir({ XDG_CACHE_HOME: "/xdg" }), "/xdg/stripes");
    assert.is(cacheDir({}), path.join(os.homedir(), ".cache", "stripes"));
  }
});

hash.run();

const fetch = suite("fetchFile");

fetch("downloads, verifies, saves under the real name, then uses the cache", async () => {
  const server = await startServer();
  try {
    const dir = tempDir();
    const events: FetchEvent[] = [];
    const file = await fetchFile(good, { dir, base: `${server.base}/good/`, onEvent: (e) => events.push(e) });
    assert.is(file, path.join(dir, good.name));
    assert.ok(fs.readFileSync(file).equals(body));
    assert.equal(fs.readdirSync(dir), [good.name]); // no .part left behind
    assert.ok(events.some((e) => e.kind === "data"));
    assert.is(events[events.length - 1].kind, "done");
    const again: FetchEvent[] = [];
    await fetchFile(good, { dir, base: `${server.base}/good/`, onEvent: (e) => again.push(e) });
    assert.equal(again.map((e) => e.kind), ["cached"]);
    assert.is(server.seen.length, 1); // the second call did not download
  } finally {
    await server.close();
  }
});

fetch("a corrupt download is retried once from scratch, then refused; nothing is saved", async () => {
  const server = await startServer();
  try {
    const dir = tempDir();
    const err = await fetchFile(good, { ...quiet, dir, base: `${server.base}/corrupt/` }).catch((e) => e);
    assert.instance(err, FetchError);
    assert.match(err.message, /^weights\.pth: the bytes from http:\/\/127\.0\.0\.1:\d+\/corrupt\/weights\.pth have git blob SHA-1 [0-9a-f]{40}, expected [0-9a-f]{40}; nothing was saved$/);
    assert.is(server.seen.length, 2);
    assert.equal(fs.readdirSync(dir), []);
  } finally {
    await server.close();
  }
});

fetch("a 404 fails at once with the URL and how to place the files by hand", async () => {
  const server = await startServer();
  try {
    const dir = tempDir();
    const err = await fetchFile(good, { ...quiet, dir, base: `${server.base}/missing/` }).catch((e) => e);
    assert.instance(err, FetchError);
    assert.match(err.message, /answered 404/);
    assert.match(err.message, /to place the files by hand, copy horse2zebra_0\.4\.0\.pth \(git blob SHA-1 ce10268a/);
    assert.ok(err.message.includes(dir));
    assert.not.match(err.message, /\n/);
    assert.is(server.seen.length, 1);
  } finally {
    await server.close();
  }
});

fetch("a dropped connection resumes with a Range request from where it stopped", async () => {
  const server = await startServer();
  try {
    const dir = tempDir();
    const events: FetchEvent[] = [];
    const file = await fetchFile(good, { dir, base: `${server.base}/drop/`, onEvent: (e) => events.push(e) });
    assert.ok(fs.readFileSync(file).equals(body));
    assert.is(server.seen.length, 2);
    assert.is(server.seen[0].range, undefined);
    assert.is(server.seen[1].range, "bytes=100000-");
    assert.ok(events.some((e) => e.kind === "retry" && /connection dropped/.test(e.reason)));
  } finally {
    await server.close();
  }
});

/** A pid no process has (Linux pids stay below 2^22). */
const GONE = 4_194_304 + 12_345;

fetch("a .part left by a finished run is resumed; a server ignoring Range restarts it cleanly", async () => {
  const server = await startServer();
  try {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, `${good.name}.${GONE}.part`), body.subarray(0, 123_456));
    fs.writeFileSync(path.join(dir, `${good.name}.${GONE + 1}.part`), body.subarray(0, 1_000)); // shorter: dropped
    await fetchFile(good, { ...quiet, dir, base: `${server.base}/good/` });
    assert.is(server.seen[0].range, "bytes=123456-");
    assert.ok(fs.readFileSync(path.join(dir, good.name)).equals(body));
    assert.equal(fs.readdirSync(dir), [good.name]);

    const dir2 = tempDir();
    fs.writeFileSync(path.join(dir2, `${good.name}.${GONE}.part`), Buffer.from("stale bytes from elsewhere"));
    await fetchFile(good, { ...quiet, dir: dir2, base: `${server.base}/norange/` });
    assert.ok(fs.readFileSync(path.join(dir2, good.name)).equals(body));
  } finally {
    await server.close();
  }
});

fetch("the .part of a process still downloading is left alone; two fetches at once both succeed", async () => {
  const server = await startServer();
  try {
    const dir = tempDir();
    const other = path.join(dir, `${good.name}.${process.ppid}.part`); // a live process's download
    fs.writeFileSync(other, body.subarray(0, 50_000));
    const [a, b] = await Promise.all([
      fetchFile(good, { ...quiet, dir, base: `${server.base}/good/` }),
      fetchFile(good, { ...quiet, dir, base: `${server.base}/good/` }),
    ]);
    assert.is(a, b);
    assert.ok(fs.readFileSync(a).equals(body));
    assert.is(server.seen[0].range, undefined);
    assert.ok(fs.readFileSync(other).equals(body.subarray(0, 50_000)));
  } finally {
    await server.close();
  }
});

fetch("a fetch process killed (SIGKILL) mid-file: no file at the final path; the next fetch resumes its .part and verifies", async () => {
  const server = await startServer();
  const dir = tempDir();
  try {
    const root = path.join(__dirname, "..", "..");
    const script = `require("./src/fetch/fetch").fetchFile(${JSON.stringify(good)}, { dir: ${JSON.stringify(dir)}, base: "${server.base}/stall/", onEvent: () => {} })`;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: root, stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, signal) => r(signal)));
    const part = path.join(dir, `${good.name}.${child.pid}-1.part`); // <name>.<pid>-<n>.part: the child's first fetch
    const began = Date.now();
    while (!(fs.existsSync(part) && fs.statSync(part).size >= 100_000)) {
      assert.ok(Date.now() - began < 60_000, "the child never wrote its first 100 KB");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    assert.is(await exited, "SIGKILL");
    assert.equal(fs.readdirSync(dir), [path.basename(part)]); // nothing at the final path
    assert.is(fs.statSync(part).size, 100_000);
    const file = await fetchFile(good, { ...quiet, dir, base: `${server.base}/stall/` });
    assert.is(server.seen[server.seen.length - 1].range, "bytes=100000-");
    assert.ok(fs.readFileSync(file).equals(body));
    assert.equal(fs.readdirSync(dir), [good.name]);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

fetch("a cached file with the wrong hash is downloaded again", async () => {
  const server = await startServer();
  try {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, good.name), Buffer.from("placed by hand, but wrong"));
    await fetchFile(good, { ...quiet, dir, base: `${server.base}/good/` });
    assert.ok(fs.readFileSync(path.join(dir, good.name)).equals(body));
  } finally {
    await server.close();
  }
});

fetch("offline: one line saying what failed and where to put the files", async () => {
  const server = await startServer();
  const base = `${server.base}/good/`;
  await server.close(); // nothing listens on that port any more
  const dir = tempDir();
  const err = await fetchFile(ARTICLE_FILES.image, { ...quiet, dir, base, attempts: 2 }).catch((e) => e);
  assert.instance(err, FetchError);
  assert.match(err.message, /^horse\.jpg: could not download http:\/\/127\.0\.0\.1:\d+\/good\/horse\.jpg \(connect ECONNREFUSED/);
  assert.ok(err.message.includes(`into ${dir}`));
  assert.ok(err.message.includes("a5dd8be158bac9af6fee6621711090b53df3d7a4"));
  assert.not.match(err.message, /\n/);
});

fetch.run();

const cli = suite("stripes fetch (CLI)");

cli("unreachable: exit 1, the last line says where to place the files, nothing saved, nothing on stdout", async () => {
  const server = await startServer();
  const base = `${server.base}/good/`;
  await server.close();
  const dir = tempDir();
  const r = runCli("fetch", "--dir", dir, "--base", base);
  assert.is(r.status, 1);
  assert.is(r.stdout, "");
  const lines = r.stderr.trim().split("\n");
  assert.match(lines[lines.length - 1], /^stripes: horse2zebra_0\.4\.0\.pth: could not download .*; to place the files by hand, copy horse2zebra_0\.4\.0\.pth .* and horse\.jpg .* into /);
  assert.equal(fs.readdirSync(dir), []);
});

cli.run();
