/**
 * `room build`'s site, on a stand-in app folder (the real JupyterLite app is built and checked
 * by test/browser/room.browser.ts): the settings JupyterLite's docs name (defaultKernelName,
 * contentsAllJsonFile), the same notebooks `stripes-gan lessons` writes, the package's data, a
 * Jupyter-server contents model for every folder, the article's files when named, and no
 * half-written site when `-o` is wrong.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { RoomError } from "../../src/room/errors";
import { buildRoom } from "../../src/room/site/build";
import { packagedLessons } from "../../src/jupyter/lessonsFolder";

let tmp = "";
let app = "";
const env = () => ({ STRIPES_CACHE: join(tmp, "empty-cache") }) as NodeJS.ProcessEnv;
const Build = suite("room build");
Build.before.each(() => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-room-build-"));
  app = join(tmp, "app");
  mkdirSync(join(app, "lab"), { recursive: true });
  writeFileSync(join(app, "lab", "index.html"), "<!doctype html>");
  writeFileSync(join(app, "jupyter-lite.json"), JSON.stringify({ "jupyter-config-data": { appUrl: "./lab", baseUrl: "./" } }));
});
Build.after.each(() => rmSync(tmp, { recursive: true, force: true }));

const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

Build("jupyter-lite.json: the stripes kernel by default, the contents index named, the app's own keys kept", () => {
  const out = join(tmp, "site");
  buildRoom({ out, appDir: app, env: env() });
  const config = json(join(out, "jupyter-lite.json"))["jupyter-config-data"];
  assert.is(config.defaultKernelName, "stripes");
  assert.is(config.contentsAllJsonFile, "all.json");
  assert.is(config.appUrl, "./lab");
  // a saved notebook keeps its widgets' state (ipywidgets' manager saves none by default), for after a reload
  assert.equal(config.settingsOverrides["@jupyter-widgets/jupyterlab-manager:plugin"], { saveState: true });
  assert.ok(existsSync(join(out, "lab", "index.html")));
});

Build("files/: the lesson notebooks `stripes-gan lessons` writes (blank answers), and the package's data/", () => {
  const out = join(tmp, "site");
  const result = buildRoom({ out, appDir: app, env: env() });
  const expected = packagedLessons().map((f) => basename(f));
  assert.equal(result.notebooks, expected);
  assert.equal(readdirSync(join(out, "files")).filter((f) => f.endsWith(".ipynb")).sort(), expected);
  assert.ok(existsSync(join(out, "files", "data", "exercises", "cases.json")));
  assert.ok(existsSync(join(out, "files", "data", "lesson03", "G_AB.pth")));
});

Build("api/contents/<dir>/all.json for every folder: a directory model listing its entries without content", () => {
  const out = join(tmp, "site");
  buildRoom({ out, appDir: app, env: env() });
  const top = json(join(out, "api", "contents", "all.json"));
  assert.is(top.type, "directory");
  const names = top.content.map((e: { name: string }) => e.name);
  assert.ok(names.includes("01-horse-to-zebra.ipynb") && names.includes("data"), names.join(","));
  const nb = top.content.find((e: { name: string }) => e.name === "01-horse-to-zebra.ipynb");
  assert.is(nb.type, "notebook");
  assert.is(nb.path, "01-horse-to-zebra.ipynb");
  assert.is(nb.content, null);
  assert.is(nb.size, readFileSync(join(out, "files", "01-horse-to-zebra.ipynb")).length);
  const lesson03 = json(join(out, "api", "contents", "data", "lesson03", "all.json"));
  assert.is(lesson03.path, "data/lesson03");
  const gab = lesson03.content.find((e: { name: string }) => e.name === "G_AB.pth");
  assert.is(gab.path, "data/lesson03/G_AB.pth");
  assert.is(gab.type, "file");
});

Build("the article's files: copied from STRIPES_WEIGHTS / STRIPES_IMAGE; a notice when there are none", () => {
  const weights = join(tmp, "w.pth");
  const image = join(tmp, "h.jpg");
  writeFileSync(weights, "weights");
  writeFileSync(image, "photo");
  const said: string[] = [];
  const out = join(tmp, "site");
  buildRoom({ out, appDir: app, env: { ...env(), STRIPES_WEIGHTS: weights, STRIPES_IMAGE: image }, say: (l) => said.push(l) });
  assert.is(readFileSync(join(out, "files", "data", "article", "horse2zebra_0.4.0.pth"), "utf8"), "weights");
  assert.is(readFileSync(join(out, "files", "data", "article", "horse.jpg"), "utf8"), "photo");
  assert.equal(said, []);
  buildRoom({ out, appDir: app, env: env(), say: (l) => said.push(l) });
  assert.is(said.length, 1);
  assert.match(said[0], /lesson 01 will read them from the book's repository/);
  assert.not.ok(existsSync(join(out, "files", "data", "article")));
});

Build("stripes/stripes-room.json: fast and pretrained from STRIPES_FAST / STRIPES_PRETRAINED; lesson 03's fallback files under files/data/lesson03/", () => {
  const out = join(tmp, "site");
  buildRoom({ out, appDir: app, env: env() });
  assert.equal(json(join(out, "stripes", "stripes-room.json")), { fast: false, pretrained: false });
  buildRoom({ out, appDir: app, env: { ...env(), STRIPES_FAST: "1", STRIPES_PRETRAINED: "1" } });
  assert.equal(json(join(out, "stripes", "stripes-room.json")), { fast: true, pretrained: true });
  // where fallback.browser.ts asks for them, relative to stripes/stripes.js
  for (const f of ["G_AB.pth", "G_BA.pth", "provenance.json"]) assert.ok(existsSync(join(out, "stripes", "..", "files", "data", "lesson03", f)), f);
});

Build("the article's files from the stripes cache when it has them (a fetch beforehand)", () => {
  const cache = join(tmp, "cache");
  mkdirSync(cache);
  writeFileSync(join(cache, "horse2zebra_0.4.0.pth"), "cached weights");
  writeFileSync(join(cache, "horse.jpg"), "cached photo");
  const said: string[] = [];
  const out = join(tmp, "site");
  const result = buildRoom({ out, appDir: app, env: { STRIPES_CACHE: cache }, say: (l) => said.push(l) });
  assert.is(readFileSync(join(out, "files", "data", "article", "horse2zebra_0.4.0.pth"), "utf8"), "cached weights");
  assert.is(readFileSync(join(out, "files", "data", "article", "horse.jpg"), "utf8"), "cached photo");
  assert.equal(Object.keys(result.article).sort(), ["image", "weights"]);
  assert.equal(said, []);
});

Build("-o a file: a one-line RoomError naming -o, and nothing left beside it", () => {
  const file = join(tmp, "site.txt");
  writeFileSync(file, "x");
  assert.throws(() => buildRoom({ out: file, appDir: app, env: env() }), (e: Error) => e instanceof RoomError && e.message === `-o ${file}: is a file, not a folder`);
  assert.equal(readdirSync(tmp).sort(), ["app", "site.txt"]);
});

Build("-o where no folder can be made (under a file): a one-line RoomError, nothing written", () => {
  const file = join(tmp, "plain.txt");
  writeFileSync(file, "x");
  const out = join(file, "site");
  assert.throws(() => buildRoom({ out, appDir: app, env: env() }), (e: Error) => e instanceof RoomError && e.message.startsWith(`-o ${out}: cannot write in ${file} (`) && !e.message.includes("\n"));
  assert.equal(readdirSync(tmp).sort(), ["app", "plain.txt"]);
});

Build("-o a folder of other things is refused; an earlier room is replaced whole", () => {
  const other = join(tmp, "mine");
  mkdirSync(other);
  writeFileSync(join(other, "notes.txt"), "keep me");
  assert.throws(() => buildRoom({ out: other, appDir: app, env: env() }), /-o .*mine: a folder that is not a room site/);
  assert.is(readFileSync(join(other, "notes.txt"), "utf8"), "keep me");
  const out = join(tmp, "site");
  buildRoom({ out, appDir: app, env: env() });
  writeFileSync(join(out, "files", "stale.ipynb"), "{}");
  buildRoom({ out, appDir: app, env: env() });
  assert.not.ok(existsSync(join(out, "files", "stale.ipynb")));
  assert.equal(readdirSync(tmp).filter((f) => f.startsWith(".")), []); // no temp folder left
});

Build("a bad STRIPES_WEIGHTS stops the build before anything is written", () => {
  const out = join(tmp, "site");
  assert.throws(() => buildRoom({ out, appDir: app, env: { ...env(), STRIPES_WEIGHTS: join(tmp, "nope.pth") } }), /^STRIPES_WEIGHTS=.*nope\.pth: no such file$/);
  assert.not.ok(existsSync(out));
});

Build.run();
