/**
 * The room's service worker (src/room/site/offline.ts): which files of a site it precaches, that a
 * changed byte makes a new script (so browsers install it), and what the script does, run in a vm
 * with a stand-in worker scope: install fills one cache with every listed file, activate drops an
 * earlier room cache and leaves others, fetch answers a listed file (a folder's index.html, with or
 * without a query) from the cache and leaves everything else to the network.
 * The browser end (offline reload, Run All) is test/browser/roomOffline.browser.ts.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vm from "node:vm";
import { buildRoom } from "../../src/room/site/build";
import { precacheList, SERVICE_WORKER_FILE, serviceWorkerScript, writeServiceWorker } from "../../src/room/site/offline";

let tmp = "";
const Offline = suite("room offline");
Offline.before.each(() => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-room-offline-"));
  for (const [f, text] of Object.entries({
    "index.html": "root",
    "lab/index.html": "lab",
    "build/lab.js": "js",
    "build/lab.js.map": "map",
    "build/service-worker.js": "jupyterlite's",
    "files/01.ipynb": "{}",
    "api/contents/all.json": "[]",
    "stripes/tfjs-backend-wasm.wasm": "wasm!",
  })) {
    mkdirSync(join(tmp, f, ".."), { recursive: true });
    writeFileSync(join(tmp, f), text);
  }
});
Offline.after.each(() => rmSync(tmp, { recursive: true, force: true }));

const LISTED = ["api/contents/all.json", "build/lab.js", "files/01.ipynb", "index.html", "lab/index.html", "stripes/tfjs-backend-wasm.wasm"];

Offline("precaches every file of the site but source maps and the service workers", () => {
  writeFileSync(join(tmp, SERVICE_WORKER_FILE), "old");
  const p = precacheList(tmp);
  assert.equal(p.files, LISTED);
  assert.is(p.bytes, "root".length + "lab".length + "js".length + "{}".length + "[]".length + "wasm!".length);
  assert.match(p.version, /^[0-9a-f]{16}$/);
});

Offline("one changed byte is a new version, hence a new script", () => {
  const before = precacheList(tmp);
  writeFileSync(join(tmp, "files", "01.ipynb"), "{ }");
  const after = precacheList(tmp);
  assert.is.not(after.version, before.version);
  assert.is.not(serviceWorkerScript(after), serviceWorkerScript(before));
});

/** Runs the site's script in a vm; the stand-in scope records what it asks of the browser. */
function runWorker(root: string, scope = "http://localhost:8000/room/") {
  const text = readFileSync(join(root, SERVICE_WORKER_FILE), "utf8");
  const listeners: Record<string, (event: unknown) => void> = {};
  const stores = new Map<string, Map<string, string>>([["stripes-room-0000", new Map()], ["jupyterlite", new Map()]]);
  const fetched: string[] = [];
  const caches = {
    open: async (name: string) => {
      if (!stores.has(name)) stores.set(name, new Map());
      const store = stores.get(name)!;
      return {
        addAll: async (reqs: { url: string }[]) => reqs.forEach((r) => store.set(r.url, `cached ${r.url}`)),
        match: async (url: string) => store.get(url),
      };
    },
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
  };
  const self = {
    location: new URL("service-worker.js", scope),
    addEventListener: (type: string, f: (event: unknown) => void) => (listeners[type] = f),
    caches,
    Request: class { constructor(public url: string, public init: unknown) {} },
    fetch: async (r: { url: string }) => (fetched.push(r.url), `network ${r.url}`),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined },
  };
  vm.runInNewContext(text, { self, URL, Promise, Set });
  const waiting = async (type: string, event: Record<string, unknown> = {}) => {
    let work: Promise<unknown> | undefined;
    let answer: Promise<unknown> | undefined;
    listeners[type]({ ...event, waitUntil: (p: Promise<unknown>) => (work = p), respondWith: (p: Promise<unknown>) => (answer = p) });
    await work;
    return answer ? await answer : undefined;
  };
  return { waiting, stores, fetched };
}

Offline("the script: install caches every listed file, activate drops older room caches, fetch answers from the cache", async () => {
  writeServiceWorker(tmp);
  const { waiting, stores, fetched } = runWorker(tmp);
  await waiting("install");
  const mine = [...stores.keys()].filter((k) => k.startsWith("stripes-room-") && k !== "stripes-room-0000");
  assert.is(mine.length, 1);
  assert.equal([...stores.get(mine[0])!.keys()].sort(), LISTED.map((f) => `http://localhost:8000/room/${f}`).sort());
  await waiting("activate");
  assert.equal([...stores.keys()].sort(), ["jupyterlite", mine[0]].sort());

  const get = (url: string) => waiting("fetch", { request: { method: "GET", url } });
  assert.is(await get("http://localhost:8000/room/lab/"), "cached http://localhost:8000/room/lab/index.html");
  assert.is(await get("http://localhost:8000/room/build/lab.js?v=3"), "cached http://localhost:8000/room/build/lab.js");
  assert.is(await get("http://localhost:8000/room/files/other.ipynb"), undefined); // not the site's: no answer, the network's
  assert.is(await get("https://example.org/room/index.html"), undefined);
  assert.is(await waiting("fetch", { request: { method: "PUT", url: "http://localhost:8000/room/index.html" } }), undefined);
  assert.equal(fetched, []);
});

Offline("room build writes the service worker last, over every file of the site", () => {
  const app = join(tmp, "app");
  mkdirSync(join(app, "lab"), { recursive: true });
  writeFileSync(join(app, "lab", "index.html"), "<!doctype html>");
  const result = buildRoom({ out: join(tmp, "site"), appDir: app, env: { STRIPES_CACHE: join(tmp, "cache") } });
  const listed = precacheList(join(tmp, "site"));
  assert.ok(listed.files.includes("stripes/stripes-room.json") && listed.files.includes("jupyter-lite.json") && listed.files.includes("lab/index.html"));
  assert.is(result.precache.files, listed.files.length);
  assert.ok(readFileSync(join(tmp, "site", SERVICE_WORKER_FILE), "utf8").includes(`version ${listed.version}`));
});

Offline.run();
