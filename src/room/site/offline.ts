/**
 * @file The room's service worker, written by `room build` at the site's root: it precaches every
 * file of the site (the lab app, the kernel's worker and types, the library bundle and its .wasm,
 * the notebooks, the lesson data and weights, the contents index) when the room first opens, and
 * then answers those files from the cache, so that a learner whose network drops can reload the
 * room and run the lessons.
 *
 * Why our own worker and not JupyterLite's: JupyterLite's service-worker.js precaches nothing and
 * never caches paths under /api/ (the file browser's contents index lives there), and its manager
 * unregisters every service worker of the origin on the first reload after the first visit, so an
 * offline reload would lose it. The stripes kernel needs neither of the things JupyterLite's
 * worker relays (file access for an Emscripten kernel, stdin): it asks the page for files over
 * postMessage. So the room switches that manager off (scripts/room-app/package.json) and
 * src/room/page/offline.ts registers this one.
 *
 * The script embeds the file list and a hash of every file's bytes: a rebuilt site is a new script,
 * which the browser installs beside the old one, filling a new cache; the old cache goes when it
 * takes over. Cache first: a file of a given build never changes, and offline is the point.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The worker's file at the site's root; its scope is the whole site. */
export const SERVICE_WORKER_FILE = "service-worker.js";

/** Files a site has that the room never loads: source maps, and JupyterLite's own worker the app build leaves in build/. */
function skipped(rel: string): boolean {
  return rel === SERVICE_WORKER_FILE || rel === "build/service-worker.js" || rel.endsWith(".map");
}

export interface Precache {
  /** Paths relative to the site's root, with "/" separators, sorted. */
  files: string[];
  bytes: number;
  /** A hash of every listed file's path and bytes. */
  version: string;
}

/** Every file of the site at `root` the room may load. */
export function precacheList(root: string): Precache {
  const files: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (e.isFile() && !skipped(r)) files.push(r);
    }
  };
  walk(root, "");
  files.sort();
  const hash = createHash("sha256");
  let bytes = 0;
  for (const f of files) {
    const data = fs.readFileSync(path.join(root, ...f.split("/")));
    bytes += data.length;
    hash.update(f).update("\0").update(data);
  }
  return { files, bytes, version: hash.digest("hex").slice(0, 16) };
}

/**
 * The service worker's body. It runs in the browser's ServiceWorkerGlobalScope, not here: it is
 * written into the script as text (Function.prototype.toString), so it may use only its arguments
 * and the worker's globals.
 */
function serviceWorkerMain(sw: any, files: string[], version: string): void {
  const PREFIX = "stripes-room-";
  const CACHE = PREFIX + version;
  const scope = new URL("./", sw.location.href);
  const urls = files.map((f) => new URL(f, scope).href);
  const listed = new Set(urls);

  sw.addEventListener("install", (event: any) => {
    // "no-cache": fill the cache from the server, not from a stale HTTP cache entry.
    event.waitUntil(sw.caches.open(CACHE).then((cache: any) => cache.addAll(urls.map((u) => new sw.Request(u, { cache: "no-cache" })))).then(() => sw.skipWaiting()));
  });

  sw.addEventListener("activate", (event: any) => {
    const old = sw.caches.keys().then((keys: string[]) => Promise.all(keys.filter((k: string) => k.startsWith(PREFIX) && k !== CACHE).map((k: string) => sw.caches.delete(k))));
    event.waitUntil(old.then(() => sw.clients.claim()));
  });

  sw.addEventListener("fetch", (event: any) => {
    const request = event.request;
    if (request.method !== "GET") return;
    const url = new URL(request.url);
    if (url.origin !== scope.origin) return;
    url.search = "";
    url.hash = "";
    if (url.pathname.endsWith("/")) url.pathname += "index.html";
    if (!listed.has(url.href)) return; // not the site's: the network as usual
    event.respondWith(
      sw.caches.open(CACHE)
        .then((cache: any) => cache.match(url.href))
        .then((hit: unknown) => hit ?? sw.fetch(request)),
    );
  });
}

/** The script's text for a site whose files are `precache`. */
export function serviceWorkerScript(precache: Precache): string {
  return [
    "// The stripes room's service worker, written by `stripes-gan room build` (src/room/site/offline.ts).",
    `// ${precache.files.length} files, ${precache.bytes} bytes, version ${precache.version}.`,
    '"use strict";',
    `(${serviceWorkerMain.toString()})(self, ${JSON.stringify(precache.files)}, ${JSON.stringify(precache.version)});`,
    "",
  ].join("\n");
}

/** Writes the site's service worker; what it precaches. */
export function writeServiceWorker(root: string): Precache {
  const precache = precacheList(root);
  fs.writeFileSync(path.join(root, SERVICE_WORKER_FILE), serviceWorkerScript(precache));
  return precache;
}
