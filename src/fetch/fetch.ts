/**
 * @file Downloading the article's two files — the pretrained generator `horse2zebra_0.4.0.pth`
 * and the photo `horse.jpg` — from the book's repository into a per-user cache, once.
 *
 * Each file is checked against its git blob SHA-1 (what `git hash-object FILE` prints, and what
 * GitHub's tree lists), so a file placed by hand is verified the same way as a downloaded one.
 * Bytes arrive in `<name>.<pid>-<n>.part`; only a verified file is renamed to `<name>`, so the cache
 * never holds a half-written or wrong file under the real name, and two processes fetching at once
 * (two notebooks) never write into the same file. A dropped connection resumes from the `.part`
 * file with an HTTP Range request, also in a later run, which adopts the `.part` file of a process
 * that is gone; a server that ignores the range, or bytes that fail the check, start the file over
 * once.
 *
 * Settings (environment):
 *   STRIPES_CACHE       the cache folder (default: $XDG_CACHE_HOME/stripes or ~/.cache/stripes;
 *                       ~/Library/Caches/stripes on macOS, %LOCALAPPDATA%\stripes\Cache on Windows)
 *   STRIPES_FETCH_BASE  where to download from (default: the book's repository, below); tests
 *                       point it at a server on 127.0.0.1
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { FetchError } from "./errors";

export interface RemoteFile {
  /** File name, both in the repository folder and in the cache. */
  name: string;
  /** Git blob SHA-1: sha1("blob <size>\0" + bytes), hex. */
  blobSha1: string;
  /** What it is, for messages. */
  what: string;
}

/** The files of the article, with the blob hashes listed by the book's repository (branch master). */
export const ARTICLE_FILES = {
  weights: {
    name: "horse2zebra_0.4.0.pth",
    blobSha1: "ce10268a67fba8227bd42a071e17eef1b358fa2b",
    what: "the pretrained horse-to-zebra generator",
  },
  image: {
    name: "horse.jpg",
    blobSha1: "a5dd8be158bac9af6fee6621711090b53df3d7a4",
    what: "the article's photo of a horse",
  },
} as const satisfies Record<string, RemoteFile>;

export type ArticleFileKey = keyof typeof ARTICLE_FILES;

/** The book's repository, folder data/p1ch2, as raw files. */
export const BOOK_BASE_URL =
  "https://raw.githubusercontent.com/deep-learning-with-pytorch/dlwpt-code/master/data/p1ch2/";
const BOOK_FOLDER_URL = "https://github.com/deep-learning-with-pytorch/dlwpt-code/tree/master/data/p1ch2";

/** What a download reports as it goes; the CLI draws a bar or prints lines from these. */
export type FetchEvent =
  | { kind: "cached"; file: RemoteFile; path: string }
  | { kind: "start"; file: RemoteFile; url: string; from: number; total: number | undefined }
  | { kind: "data"; file: RemoteFile; received: number; total: number | undefined }
  | { kind: "retry"; file: RemoteFile; reason: string }
  | { kind: "done"; file: RemoteFile; path: string; bytes: number };

export interface FetchOptions {
  /** Cache folder (default: `cacheDir()`). */
  dir?: string;
  /** URL of the folder holding the files (default: `baseUrl()`). */
  base?: string;
  /** Progress events (default: plain lines on the console when something is downloaded). */
  onEvent?: (event: FetchEvent) => void;
  /** Network attempts per file before giving up (default 4). */
  attempts?: number;
  /** Milliseconds without data before a connection counts as dropped (default 30000). */
  idleTimeoutMs?: number;
}

/** The per-user cache folder. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STRIPES_CACHE) return path.resolve(env.STRIPES_CACHE);
  const home = os.homedir();
  if (process.platform === "win32") {
    return path.join(env.LOCALAPPDATA || path.join(home, "AppData", "Local"), "stripes", "Cache");
  }
  if (process.platform === "darwin") return path.join(home, "Library", "Caches", "stripes");
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "stripes");
}

/** Where files are downloaded from; always ends with "/" so file names resolve inside it. */
export function baseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.STRIPES_FETCH_BASE || BOOK_BASE_URL;
  return base.endsWith("/") ? base : base + "/";
}

/** Git's blob hash of some bytes: sha1("blob <size>\0" + bytes). */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** Git's blob hash of a file, read as a stream (the checkpoint is 45 MB). */
export async function gitBlobSha1OfFile(file: string): Promise<string> {
  const hash = createHash("sha1").update(`blob ${fs.statSync(file).size}\0`);
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The one-line advice for placing the files by hand (offline machines). */
export function placeByHandHint(dir: string, files: readonly RemoteFile[] = Object.values(ARTICLE_FILES)): string {
  const list = files.map((f) => `${f.name} (git blob SHA-1 ${f.blobSha1})`).join(" and ");
  return (
    `to place the files by hand, copy ${list} from ${BOOK_FOLDER_URL} into ${dir} ` +
    `(check with \`git hash-object FILE\`), or set STRIPES_WEIGHTS and STRIPES_IMAGE to your own copies`
  );
}

/**
 * Makes sure `file` is in the cache with the right hash, downloading it if needed, and returns
 * its path. Throws a FetchError with a one-line message when it cannot.
 */
export async function fetchFile(file: RemoteFile, options: FetchOptions = {}): Promise<string> {
  const dir = options.dir ?? cacheDir();
  const base = options.base ?? baseUrl();
  const onEvent = options.onEvent ?? consoleLines(console.log);
  const attempts = options.attempts ?? 4;
  const dest = path.join(dir, file.name);
  const part = `${dest}.${process.pid}-${++fetchCount}.part`; // one per call, even in one process
  const url = new URL(encodeURIComponent(file.name), base.endsWith("/") ? base : base + "/").toString();

  if (fs.existsSync(dest)) {
    const sha = await gitBlobSha1OfFile(dest);
    if (sha === file.blobSha1) {
      onEvent({ kind: "cached", file, path: dest });
      return dest;
    }
    onEvent({ kind: "retry", file, reason: `${dest} has git blob SHA-1 ${sha}, expected ${file.blobSha1}: downloading it again` });
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new FetchError(`${dir}: cannot create the cache folder (${(err as Error).message}); set STRIPES_CACHE to a writable folder`);
  }
  adoptOrphanParts(dir, file.name, part);

  let failures = 0;
  let restarted = false;
  for (;;) {
    try {
      await download(url, part, file, onEvent, options.idleTimeoutMs ?? 30_000);
    } catch (err) {
      if (err instanceof FetchError) throw err;
      failures++;
      const reason = describe(err);
      if (failures >= attempts || OFFLINE.has((err as Retryable).code ?? "")) {
        throw new FetchError(`${file.name}: could not download ${url} (${reason}); ${placeByHandHint(dir)}`);
      }
      onEvent({ kind: "retry", file, reason: `${reason}; trying again` });
      await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** failures, 5000)));
      continue;
    }
    const sha = await gitBlobSha1OfFile(part);
    if (sha === file.blobSha1) {
      const bytes = fs.statSync(part).size;
      fs.renameSync(part, dest); // atomic: the real name only ever holds a verified file
      onEvent({ kind: "done", file, path: dest, bytes });
      return dest;
    }
    fs.rmSync(part, { force: true });
    if (restarted) {
      throw new FetchError(
        `${file.name}: the bytes from ${url} have git blob SHA-1 ${sha}, expected ${file.blobSha1}; nothing was saved`,
      );
    }
    restarted = true;
    onEvent({ kind: "retry", file, reason: `downloaded bytes have git blob SHA-1 ${sha}, expected ${file.blobSha1}; starting over` });
  }
}

let fetchCount = 0;

/**
 * Takes over the `.part` file an earlier, finished process left (the longest, if several) so the
 * download resumes there; removes the other orphans. Parts of running processes are left alone.
 */
function adoptOrphanParts(dir: string, name: string, part: string): void {
  const prefix = `${name}.`;
  const orphans = fs
    .readdirSync(dir)
    .map((f) => ({ f, m: f.startsWith(prefix) ? /^(\d+)(-\d+)?\.part$/.exec(f.slice(prefix.length)) : null }))
    .filter(({ m }) => m !== null && !isAlive(Number(m[1])))
    .map(({ f }) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  if (orphans.length > 0 && !fs.existsSync(part)) fs.renameSync(orphans.shift()!, part);
  for (const f of orphans) fs.rmSync(f, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Fetches one of the article's files (`"weights"` or `"image"`) and returns its path. */
export function fetchArticleFile(key: ArticleFileKey, options: FetchOptions = {}): Promise<string> {
  const file = ARTICLE_FILES[key];
  if (!file) throw new FetchError(`unknown article file '${String(key)}' (choose ${Object.keys(ARTICLE_FILES).join(" or ")})`);
  return fetchFile(file, options);
}

/** Fetches both of the article's files; returns their paths. */
export async function fetchArticleFiles(options: FetchOptions = {}): Promise<{ weights: string; image: string }> {
  return {
    weights: await fetchFile(ARTICLE_FILES.weights, options),
    image: await fetchFile(ARTICLE_FILES.image, options),
  };
}

/** Progress as plain lines: one when a download starts, every 25 %, and when it is verified. */
export function consoleLines(write: (line: string) => void): (event: FetchEvent) => void {
  let lastQuarter = -1;
  return (event) => {
    switch (event.kind) {
      case "start":
        lastQuarter = -1;
        write(`${event.file.name}: downloading ${event.file.what} from ${event.url}` +
          (event.from > 0 ? `, resuming at ${formatBytes(event.from)}` : ""));
        break;
      case "data": {
        if (!event.total) break;
        const quarter = Math.floor((4 * event.received) / event.total);
        if (quarter > lastQuarter && quarter < 4) {
          lastQuarter = quarter;
          if (quarter > 0) write(`${event.file.name}: ${25 * quarter}% of ${formatBytes(event.total)}`);
        }
        break;
      }
      case "retry":
        write(`${event.file.name}: ${event.reason}`);
        break;
      case "done":
        write(`${event.file.name}: ${formatBytes(event.bytes)}, git blob SHA-1 verified, saved as ${event.path}`);
        break;
      case "cached":
        break; // nothing to say: the file was already there and verified
    }
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A problem worth another attempt: the network, a dropped connection, a 5xx answer. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** No name resolution or no route: the machine is offline, and trying again will not help. */
const OFFLINE = new Set(["ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN"]);

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code && !String(e.message).includes(e.code)) return `${e.code} ${e.message}`;
  return e?.message ?? String(err);
}

/**
 * One attempt: appends to `part` from its current size (Range request), or rewrites it when the
 * server sends the whole file. Resolves when the response ended with every byte it announced.
 */
async function download(
  url: string,
  part: string,
  file: RemoteFile,
  onEvent: (event: FetchEvent) => void,
  idleTimeoutMs: number,
): Promise<void> {
  let from = fs.existsSync(part) ? fs.statSync(part).size : 0;
  const res = await get(url, from > 0 ? { Range: `bytes=${from}-` } : {}, idleTimeoutMs);
  const status = res.statusCode ?? 0;
  if (status === 416) {
    // Our .part is already as long as the file (or longer): let the hash decide.
    res.resume();
    return;
  }
  if (status === 206) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(res.headers["content-range"] ?? ""));
    if (!range || Number(range[1]) !== from) {
      res.resume();
      fs.rmSync(part, { force: true });
      throw new Retryable(`the server resumed at the wrong place (${res.headers["content-range"] ?? "no Content-Range"})`);
    }
  } else if (status === 200) {
    from = 0; // the server ignored the Range header: start the file over
  } else {
    res.resume();
    const what = `${url} answered ${status} ${res.statusMessage ?? ""}`.trim();
    if (status >= 500 || status === 429) throw new Retryable(what);
    throw new FetchError(`${file.name}: ${what}; ${placeByHandHint(path.dirname(part))}`);
  }
  const length = res.headers["content-length"] !== undefined ? Number(res.headers["content-length"]) : undefined;
  const total = length !== undefined ? from + length : undefined;
  onEvent({ kind: "start", file, url, from, total });
  const received = await save(res, part, from, (n) => onEvent({ kind: "data", file, received: n, total }));
  if (received.error || (total !== undefined && received.bytes < total)) {
    const cause = received.error ? ` (${describe(received.error)})` : "";
    throw new Retryable(`connection dropped after ${formatBytes(received.bytes)}${total ? ` of ${formatBytes(total)}` : ""}${cause}`);
  }
}

/**
 * Writes the response body to `part` (appending after `from` bytes). When the connection drops,
 * everything received so far is still written, so the next attempt resumes exactly there.
 */
function save(res: http.IncomingMessage, part: string, from: number, onBytes: (n: number) => void): Promise<{ bytes: number; error?: Error }> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(part, { flags: from > 0 ? "a" : "w" });
    let bytes = from;
    let error: Error | undefined;
    let ended = false;
    const end = (err?: Error) => {
      error ??= err;
      if (!ended) {
        ended = true;
        out.end();
      }
    };
    res.on("data", (chunk: Buffer) => {
      // No backpressure pause on purpose: a paused response loses its buffered bytes when the
      // connection drops, and those are exactly the bytes a resume should not fetch again.
      bytes += chunk.length;
      out.write(chunk);
      onBytes(bytes);
    });
    res.on("end", () => end(res.complete ? undefined : new Error("response ended early")));
    res.on("error", (err) => end(err));
    res.on("close", () => end(res.complete ? undefined : new Error("connection closed")));
    out.on("finish", () => resolve({ bytes, error }));
    out.on("error", (err) => {
      res.destroy();
      reject(new FetchError(`${part}: cannot write (${err.message}); set STRIPES_CACHE to a folder with room`));
    });
  });
}

/** GET with redirects followed and an idle timeout; network failures become Retryable. */
function get(url: string, headers: Record<string, string>, idleTimeoutMs: number, redirects = 5): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith("https:") ? https : http;
    const req = lib.get(url, { headers: { "User-Agent": "stripes", ...headers } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        resolve(get(new URL(res.headers.location, url).toString(), headers, idleTimeoutMs, redirects - 1));
        return;
      }
      res.setTimeout(idleTimeoutMs, () => res.destroy(new Error(`no data for ${idleTimeoutMs / 1000} s`)));
      resolve(res);
    });
    req.setTimeout(idleTimeoutMs, () => req.destroy(new Error(`no answer for ${idleTimeoutMs / 1000} s`)));
    req.on("error", (err: NodeJS.ErrnoException) => reject(new Retryable(describe(err), err.code)));
  });
}
