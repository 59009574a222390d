/**
 * Inline display: outside a kernel an Image prints its repr; inside one (a stand-in tslab kernel
 * module registered in require.cache, as the real kernel's is) its PNG is sent through tslab's
 * display.png when it is a cell's value (util.inspect), on display(img) and on img.show().
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { inspect } from "node:util";
import { Image } from "../../src/vision/image";
import { display, inNotebook } from "../../src/kernel/display";

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

Outside("is not a notebook, and show() prints the repr with a hint", () => {
  assert.is(inNotebook(), false);
  assert.equal(captureLog(() => img.show()), ["<Image mode=RGB size=2x1> (not in a notebook: use save(path) to look at it)"]);
});

Outside("display(img) prints the repr", () => {
  assert.equal(captureLog(() => display(img)), ["<Image mode=RGB size=2x1>"]);
});

const Inside = suite("display inside a tslab kernel");

const sent: [string, unknown][] = [];
const dist = join(__dirname, "fake", "node_modules", "tslab", "dist");
Inside.before(() => {
  // What the kernel process has loaded: tslab's jupyter.js (with its display hook set) and public.js.
  const fake = (file: string, exports: object) => {
    require.cache[file] = { id: file, filename: file, loaded: true, exports } as NodeJS.Module;
  };
  fake(join(dist, "jupyter.js"), { lastWriteDisplayData: () => undefined });
  fake(join(dist, "public.js"), {
    display: { png: (b: Uint8Array) => sent.push(["png", b]), text: (s: string) => sent.push(["text", s]) },
  });
});
Inside.after(() => {
  delete require.cache[join(dist, "jupyter.js")];
  delete require.cache[join(dist, "public.js")];
});
Inside.before.each(() => {
  sent.length = 0;
});

Inside("an Image as a cell's value sends its PNG and prints its repr", async () => {
  assert.is(inNotebook(), true);
  assert.is(inspect(img), "<Image mode=RGB size=2x1>");
  assert.is(sent.length, 1);
  assert.is(sent[0][0], "png");
  assert.equal((await Image.open(sent[0][1] as Uint8Array)).data, img.data);
});

Inside("display(img) and img.show() send the PNG and print nothing", () => {
  const lines = captureLog(() => {
    display(img);
    img.show();
  });
  assert.equal(lines, []);
  assert.equal(sent.map(([kind]) => kind), ["png", "png"]);
});

Inside("display of other values sends their text", () => {
  display({ a: 1 });
  display("hello");
  assert.equal(sent, [["text", "{ a: 1 }"], ["text", "hello"]]);
});

Outside.run();
Inside.run();
