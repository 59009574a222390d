/**
 * @file `room build`: writes a room site, a folder any static server can serve:
 *
 *   <out>/                 JupyterLite's lab app, prebuilt into dist/room/app/ (copied)
 *   <out>/jupyter-lite.json  the app's settings: the stripes kernel by default, the contents index
 *   <out>/files/           the lesson notebooks (blank answers, as `stripes-gan lessons` writes them)
 *   <out>/files/data/      the package's data/ the lessons read (exercise cases, lesson 03's generators)
 *   <out>/files/data/article/  the article's weights and photo, when this machine has them
 *   <out>/api/contents/…/all.json  the file browser's listing of every folder under files/
 *   <out>/stripes/         the kernel's worker (worker.js, types.json), the library's browser bundle
 *                          (stripes.js and tfjs's .wasm files), and stripes-room.json: the lesson
 *                          settings the library reads in the room (lessonSettings)
 *   <out>/service-worker.js  precaches every file above, so the room reloads offline (offline.ts)
 *
 * The site is written into a fresh folder beside `<out>` and renamed into place at the end, so a
 * failed build leaves no half-written site and an earlier site stays whole until the new one is
 * complete. An existing `<out>` is replaced only when it is a room site (has jupyter-lite.json).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { StripesError, messageOf } from "../../errors";
import { ARTICLE_FILES, cacheDir, type ArticleFileKey } from "../../fetch/fetch";
import { writeLessonsFolder } from "../../jupyter/lessonsFolder";
import { RoomError } from "../errors";
import { writeContentsIndex } from "./contents";
import { writeServiceWorker } from "./offline";

/** The package's root (dist/room/site/ or src/room/site/ → three levels up). */
export const PACKAGE_ROOT = path.join(__dirname, "..", "..", "..");

/** Where scripts/build-room-app.js puts the JupyterLite app; `room build` copies it. */
export const APP_DIR = path.join(PACKAGE_ROOT, "dist", "room", "app");

/** Where, under files/, the site keeps the article's weights and photo (stripes-room.json names them). */
export const ARTICLE_DIR_IN_FILES = "data/article";

/** The site's folder of the kernel's files; plugin.ts loads worker.js, types.json, stripes.js from it. */
export const KERNEL_DIR_IN_SITE = "stripes";

/** The lesson settings file in KERNEL_DIR_IN_SITE (src/lessons/settings.browser.ts reads it). */
export const SETTINGS_FILE = "stripes-room.json";

/** Where scripts/build-room-kernel.js and scripts/build-browser.js write. */
export const KERNEL_BUILD_DIR = path.join(PACKAGE_ROOT, "dist", "room", "kernel");
export const LIBRARY_BUILD_DIR = path.join(PACKAGE_ROOT, "dist", "browser");

/** The built files a site's stripes/ folder gets: from the kernel's build, then the library's. */
export const KERNEL_FILES = ["worker.js", "types.json"];
export const LIBRARY_FILES = ["stripes.js", "tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

const OWN_FILE_ENV: Record<ArticleFileKey, string> = { weights: "STRIPES_WEIGHTS", image: "STRIPES_IMAGE" };

export interface BuildOptions {
  out: string;
  /** The prebuilt app (default APP_DIR). */
  appDir?: string;
  /** The package's notebooks/ (solution versions; the site gets their exercise versions). */
  notebooksDir?: string;
  /** The package's data/. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * The built kernel (worker.js, types.json) and library bundle (stripes.js, .wasm) folders, copied
   * into stripes/; absent, the site has no kernel files (the unit tests' stand-in app).
   */
  kernel?: { kernelDir: string; libraryDir: string };
  /** One line of progress or notice. */
  say?: (line: string) => void;
}

export interface BuildResult {
  out: string;
  /** What the service worker precaches: files and bytes. */
  precache: { files: number; bytes: number };
  notebooks: string[];
  article: Partial<Record<ArticleFileKey, string>>;
}

/** The ipywidgets manager's settings id (@jupyter-widgets/jupyterlab-manager). */
export const WIDGET_MANAGER_PLUGIN = "@jupyter-widgets/jupyterlab-manager:plugin";

/** The settings JupyterLite reads at the site's root, over the app's own. */
export function liteConfig(appConfig: Record<string, unknown> = {}): Record<string, unknown> {
  const data = (appConfig["jupyter-config-data"] ?? {}) as Record<string, unknown>;
  return {
    ...appConfig,
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
      ...data,
      appName: "stripes room",
      defaultKernelName: "stripes",
      contentsAllJsonFile: "all.json",
      // The learner's edits live in the browser (IndexedDB); the shipped notebooks stay as built.
      enableMemoryStorage: false,
      // A reload ends the kernel's worker, and its widgets with it: a saved notebook keeps their
      // state so that the playground still shows, as it was, after a reload (JupyterLab saves none by default).
      settingsOverrides: { ...((data.settingsOverrides ?? {}) as object), [WIDGET_MANAGER_PLUGIN]: { saveState: true } },
    },
  };
}

/** The article's files to ship: STRIPES_WEIGHTS / STRIPES_IMAGE when set (they must exist), else the cache's. */
export function articleSources(env: NodeJS.ProcessEnv = process.env): Partial<Record<ArticleFileKey, string>> {
  const found: Partial<Record<ArticleFileKey, string>> = {};
  for (const key of Object.keys(ARTICLE_FILES) as ArticleFileKey[]) {
    const own = env[OWN_FILE_ENV[key]];
    if (own) {
      if (!fs.existsSync(own) || !fs.statSync(own).isFile()) throw new RoomError(`${OWN_FILE_ENV[key]}=${own}: no such file`);
      found[key] = own;
      continue;
    }
    const cached = path.join(cacheDir(env), ARTICLE_FILES[key].name);
    if (fs.existsSync(cached)) found[key] = cached;
  }
  return found;
}

/**
 * stripes-room.json: what the lessons read through lessonSettings() in the room, as the Node
 * kernel's reads STRIPES_WEIGHTS / STRIPES_IMAGE / STRIPES_FAST / STRIPES_PRETRAINED. File names are
 * URLs relative to that file; STRIPES_FAST=1 at build time makes the room's lessons take their short
 * runs, STRIPES_PRETRAINED=1 makes lesson 03 load its shipped generators instead of training.
 */
export function roomSettings(shipped: Partial<Record<ArticleFileKey, string>>, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const url = (key: ArticleFileKey) => (shipped[key] ? `../files/${ARTICLE_DIR_IN_FILES}/${ARTICLE_FILES[key].name}` : undefined);
  return { weights: url("weights"), image: url("image"), fast: env.STRIPES_FAST === "1", pretrained: env.STRIPES_PRETRAINED === "1" };
}

function checkOut(out: string): void {
  if (out.trim() === "") throw new RoomError("-o: empty folder name");
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new RoomError(`-o ${out}: is a file, not a folder`);
  const entries = fs.readdirSync(out);
  if (entries.length > 0 && !entries.includes("jupyter-lite.json")) {
    throw new RoomError(`-o ${out}: a folder that is not a room site (it has no jupyter-lite.json); choose an empty or new folder`);
  }
}

/** A fresh folder beside `out`, so that the final rename stays on one file system. */
function tempBeside(out: string): string {
  const parent = path.dirname(path.resolve(out));
  try {
    fs.mkdirSync(parent, { recursive: true });
    return fs.mkdtempSync(path.join(parent, `.${path.basename(out)}.building-`));
  } catch (err) {
    throw new RoomError(`-o ${out}: cannot write in ${parent} (${(err as NodeJS.ErrnoException).code ?? messageOf(err)})`);
  }
}

/** Builds the site into `options.out`. */
export function buildRoom(options: BuildOptions): BuildResult {
  const { out } = options;
  const appDir = options.appDir ?? APP_DIR;
  const say = options.say ?? (() => {});
  checkOut(out);
  if (!fs.existsSync(path.join(appDir, "lab", "index.html"))) {
    throw new RoomError(`${appDir}: no JupyterLite app in this copy of stripes-gan (in a clone: node scripts/build-room-app.js; else reinstall)`);
  }
  const article = articleSources(options.env ?? process.env); // before anything is written: a bad STRIPES_* stops here
  const tmp = tempBeside(out);
  try {
    fs.cpSync(appDir, tmp, { recursive: true, filter: (src) => path.basename(src) !== ".stamp" }); // the app build's cache key, not part of a site
    const appConfigFile = path.join(tmp, "jupyter-lite.json");
    const appConfig = fs.existsSync(appConfigFile) ? (JSON.parse(fs.readFileSync(appConfigFile, "utf8")) as Record<string, unknown>) : {};
    fs.writeFileSync(appConfigFile, JSON.stringify(liteConfig(appConfig), null, 2) + "\n");

    const files = path.join(tmp, "files");
    const notebooks = writeLessonsFolder(files, { notebooksDir: options.notebooksDir }).map((f) => path.basename(f));
    fs.cpSync(options.dataDir ?? path.join(PACKAGE_ROOT, "data"), path.join(files, "data"), { recursive: true });
    const shipped: Partial<Record<ArticleFileKey, string>> = {};
    for (const [key, source] of Object.entries(article) as [ArticleFileKey, string][]) {
      const target = path.join(files, ...ARTICLE_DIR_IN_FILES.split("/"), ARTICLE_FILES[key].name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(source, target);
      shipped[key] = source;
    }
    if (!shipped.weights || !shipped.image) {
      say("the article's weights and photo are not on this machine (run `stripes-gan fetch`, or set STRIPES_WEIGHTS / STRIPES_IMAGE): lesson 01 will read them from the book's repository over the learner's internet");
    }
    writeContentsIndex(tmp);

    const stripesDir = path.join(tmp, KERNEL_DIR_IN_SITE);
    fs.mkdirSync(stripesDir, { recursive: true });
    if (options.kernel) {
      const { kernelDir, libraryDir } = options.kernel;
      for (const [dir, names] of [[kernelDir, KERNEL_FILES], [libraryDir, LIBRARY_FILES]] as const) {
        for (const name of names) fs.copyFileSync(path.join(dir, name), path.join(stripesDir, name));
      }
    }
    fs.writeFileSync(path.join(stripesDir, SETTINGS_FILE), JSON.stringify(roomSettings(shipped, options.env ?? process.env), null, 2) + "\n");
    const precache = writeServiceWorker(tmp); // last: it lists and hashes every file written above

    // Swap in: the old site (if any) moves aside first and goes only once the new one is in place.
    const old = fs.existsSync(out) ? `${tmp}.old` : null;
    if (old) fs.renameSync(out, old);
    fs.renameSync(tmp, out);
    if (old) fs.rmSync(old, { recursive: true, force: true });
    return { out, notebooks, article: shipped, precache: { files: precache.files.length, bytes: precache.bytes } };
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (err instanceof StripesError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (!code) throw err; // not the file system's: a bug, with its stack
    throw new RoomError(`-o ${out}: could not write the site (${code}: ${messageOf(err)})`);
  }
}
