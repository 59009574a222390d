/**
 * @file Showing values inline in a tslab notebook.
 *
 * tslab `console.log`s a cell's last value and offers `display.png(bytes)` for rich output. A
 * value that can draw itself has `_repr_png_()` (IPython's name for the same idea): `display(v)`
 * sends its PNG, and `Image`'s `util.inspect` hook calls `showRich` so that an image which is
 * the cell's value shows as a picture, followed by its one-line repr.
 *
 * This file imports nothing heavy: it finds the kernel's own tslab module in `require.cache`
 * instead of requiring "tslab", whose TypeScript compiler takes seconds to load, and whose
 * display would be a different, unconnected copy if the kernel runs another install of tslab.
 */
import { inspect } from "node:util";
import { dirname, join, sep } from "node:path";

/** A value that renders itself as PNG bytes. */
export interface RichDisplay {
  _repr_png_(): Uint8Array;
}

/** tslab's display API (its src/public.ts), the part used here. */
interface TslabDisplay {
  png(bytes: Uint8Array): void;
  text(s: string): void;
}

const JUPYTER_JS = `${sep}tslab${sep}dist${sep}jupyter.js`;

/** The running tslab kernel's `display`, or undefined when not running inside a tslab kernel. */
export function kernelDisplay(): TslabDisplay | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    // tslab loads dist/jupyter.js when it runs as a kernel and sets this hook once cells run.
    if (!file.endsWith(JUPYTER_JS) || mod?.exports?.lastWriteDisplayData == null) continue;
    const pub = join(dirname(file), "public.js");
    return (require.cache[pub]?.exports ?? require(pub)).display as TslabDisplay;
  }
  return undefined;
}

/** True inside a tslab kernel, where `display` and `show()` produce outputs. */
export function inNotebook(): boolean {
  return kernelDisplay() !== undefined;
}

export function isRichDisplay(value: unknown): value is RichDisplay {
  return typeof (value as RichDisplay | null)?._repr_png_ === "function";
}

/** Sends `value`'s PNG to the notebook; false (and nothing sent) outside a kernel. */
export function showRich(value: RichDisplay): boolean {
  const d = kernelDisplay();
  if (d === undefined) return false;
  d.png(value._repr_png_());
  return true;
}

/**
 * Shows a value as a cell output: an image as PNG, anything else as its text.
 * Outside a notebook it prints the value's text to stdout.
 *
 * **Example**
 * ```ts
 * const img = await Image.open("horse.jpg");
 * display(img);   // the picture, in a notebook
 * ```
 */
export function display(value: unknown): void {
  const d = kernelDisplay();
  if (d !== undefined && isRichDisplay(value)) d.png(value._repr_png_());
  else if (d !== undefined) d.text(typeof value === "string" ? value : inspect(value));
  else console.log(typeof value === "string" ? value : inspect(value));
}
