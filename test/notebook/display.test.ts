/**
 * Inline display: outside a kernel values print as text; inside the stripes kernel (its sink on
 * globalThis, stood in for here) display, display.png/svg/html/markdown/text and newDisplay()
 * send display_data / update_display_data with one display_id; inside tslab's kernel (a
 * stand-in tslab jupyter.js with its display hook, in require.cache as the real kernel's is)
 * they go through tslab's hook. An Image knows how it looks (Symbol.for("Jupyter.display")):
 * its PNG and its repr; printing it (util.inspect) has no side effect.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { inspect } from "node:util";
import { Image } from "../../src/vision/image";
import { display, inNotebook, mimeBundle, newDisplay, type DisplayContent } from "../../src/notebook/display";
import { KERNEL_SINK } from "../../src/notebook/slots";

const img = new Image(2, 1, "RGB", new Uint8Array([255, 0, 0, 0, 0, 255]));

function captureLog(f: () => void): string[] {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    f();
  } finally {
    console.log = log;
  }
  return lines;
}

const Outside = suite("display outside a notebook");

Outside("is not a notebook; show() prints the repr with a hint, display(img) the repr, display.png a placeholder", () => {
  assert.is(inNotebook(), false);
  assert.equal(captureLog(() => img.show()), ["<Image mode=RGB size=2x1> (not in a notebook: use save(path) to look at it)"]);
  assert.equal(captureLog(() => display(img)), ["<Image mode=RGB size=2x1>"]);
  assert.equal(captureLog(() => display.png(img._repr_png_())), ["[image/png output: shown in a notebook]"]);
  assert.equal(captureLog(() => display.markdown("**hi**")), ["**hi**"]);
});

Outside("an Image's MIME bundle is its PNG (base64) and its repr; inspect has no side effect", async () => {
  const bundle = mimeBundle(img);
  assert.equal(Object.keys(bundle).sort(), ["image/png", "text/plain"]);
  assert.is(bundle["text/plain"], "<Image mode=RGB size=2x1>");
  assert.equal((await Image.open(Buffer.from(bundle["image/png"] as string, "base64"))).data, img.data);
  assert.is(inspect(img), "<Image mode=RGB size=2x1>");
  assert.equal(mimeBundle({ a: 1 }), { "text/plain": "{ a: 1 }" });
});

const Stripes = suite("display inside the stripes kernel");
const sent: [DisplayContent, boolean][] = [];
Stripes.before(() => {
  (globalThis as any)[KERNEL_SINK] = { send: (c: DisplayContent, update: boolean) => sent.push([c, update]) };
});
Stripes.after(() => {
  delete (globalThis as any)[KERNEL_SINK];
});
Stripes.before.each(() => {
  sent.length = 0;
});

Stripes("display(value), .png/.svg/.html/.markdown/.text each send one display_data", () => {
  assert.is(inNotebook(), true);
  const lines = captureLog(() => {
    display(img);
    img.show();
    display.png(new Uint8Array([1, 2, 3]));
    display.svg("<svg/>");
    display.html("<b>b</b>");
    display.markdown("*m*");
    display.text("t");
  });
  assert.equal(lines, []);
  assert.equal(sent.map(([c, update]) => [Object.keys(c.data).join(","), update, c.transient]), [
    ["image/png,text/plain", false, {}],
    ["image/png,text/plain", false, {}],
    ["image/png", false, {}],
    ["image/svg+xml", false, {}],
    ["text/html", false, {}],
    ["text/markdown", false, {}],
    ["text/plain", false, {}],
  ]);
  assert.is(sent[2][0].data["image/png"], "AQID");
});

Stripes("newDisplay(): the first call shows, later ones update the same display_id", () => {
  const d = newDisplay();
  d.text("first");
  d.update({ step: 2 });
  d.png(new Uint8Array([9]));
  assert.equal(sent.map(([c, update]) => [c.transient.display_id, update]), [[d.displayId, false], [d.displayId, true], [d.displayId, true]]);
  assert.equal(sent[1][0].data, { "text/plain": "{ step: 2 }" });
  const other = newDisplay();
  assert.is.not(other.displayId, d.displayId);
});

const Tslab = suite("display inside tslab's kernel");
const viaTslab: [unknown, boolean][] = [];
const dist = join(__dirname, "fake", "node_modules", "tslab", "dist");
Tslab.before(() => {
  const fake = (file: string, exports: object) => {
    require.cache[file] = { id: file, filename: file, loaded: true, exports } as NodeJS.Module;
  };
  fake(join(dist, "jupyter.js"), { lastWriteDisplayData: (c: unknown, update: boolean) => viaTslab.push([c, update]) });
});
Tslab.after(() => {
  delete require.cache[join(dist, "jupyter.js")];
});

Tslab("display(img) and img.show() go through tslab's hook; printing sends nothing", () => {
  assert.is(inNotebook(), true);
  inspect(img);
  assert.equal(viaTslab, []);
  const lines = captureLog(() => {
    display(img);
    img.show();
  });
  assert.equal(lines, []);
  assert.is(viaTslab.length, 2);
  assert.equal(Object.keys((viaTslab[0][0] as DisplayContent).data).sort(), ["image/png", "text/plain"]);
});

Outside.run();
Stripes.run();
Tslab.run();
