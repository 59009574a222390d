/**
 * @file Showing values as cell outputs: `display(value)`, `display.png(bytes)`, `.svg(s)`,
 * `.html(s)`, `.markdown(s)`, `.text(s)`, and `newDisplay()`, a handle whose `update(value)` (or
 * `.png(…)` etc.) replaces its output in place (update_display_data with a display_id).
 *
 * A value that knows how it looks has `[Symbol.for("Jupyter.display")](): Record<mime, data>`
 * (Deno's convention; images give `image/png` as base64 and `text/plain`). `display` asks it;
 * the stripes kernel asks it for a cell's last value too.
 *
 * Where outputs go, first match:
 * 1. the stripes kernel: it puts a sink in a shared slot (slots.ts, KERNEL_SINK), so every copy
 *    of this module (dist/ and a notebook's node_modules/stripes) reaches it;
 * 2. tslab's kernel: its `dist/jupyter.js` found in `require.cache` (not `require("tslab")`,
 *    whose compiler takes seconds to load and might be another, unconnected copy);
 * 3. plain Node: the value's text (`display.png` etc. print a one-line placeholder) on stdout.
 */
import { sep } from "node:path";
import { inspect } from "node:util";
import { getSlot } from "./slots";

export type MimeBundle = Record<string, unknown>;

/** The Jupyter display convention (Deno's): a value returning its MIME bundle. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** display_data / update_display_data content, as the kernel publishes it. */
export interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** What the stripes kernel installs in the kernelDisplay slot (globalThis[KERNEL_SINK], slots.ts). */
export interface DisplaySink {
  send(content: DisplayContent, update: boolean): void;
}

const JUPYTER_JS = `${sep}tslab${sep}dist${sep}jupyter.js`;

/** tslab's kernel hook (its jupyter.js `lastWriteDisplayData`), when running inside tslab's kernel. */
function tslabSink(): DisplaySink | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    const write = file.endsWith(JUPYTER_JS) ? mod?.exports?.lastWriteDisplayData : undefined;
    if (typeof write === "function") return { send: (content, update) => write(content, update) };
  }
  return undefined;
}

function sink(): DisplaySink | undefined {
  return getSlot<DisplaySink>("kernelDisplay") ?? tslabSink();
}

/** True inside a kernel (stripes' or tslab's), where display produces outputs. */
export function inNotebook(): boolean {
  return sink() !== undefined;
}

/** Base64 for binary values (Jupyter's JSON carries images so). */
function jsonReady(bundle: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, v] of Object.entries(bundle)) out[mime] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : v;
  return out;
}

/** The MIME bundle of a value: its own (Symbol.for("Jupyter.display")), else its text. */
export function mimeBundle(value: unknown): MimeBundle {
  const own = (value as any)?.[JUPYTER_DISPLAY];
  if (typeof own === "function") {
    const bundle = jsonReady(own.call(value) as MimeBundle);
    if (!("text/plain" in bundle)) bundle["text/plain"] = inspect(value);
    return bundle;
  }
  return { "text/plain": typeof value === "string" ? value : inspect(value) };
}

/** What plain Node prints for a bundle. */
function consoleText(bundle: MimeBundle): string {
  if (typeof bundle["text/plain"] === "string") return bundle["text/plain"];
  const [mime, v] = Object.entries(bundle)[0] ?? ["nothing", ""];
  return typeof v === "string" && mime.startsWith("text/") ? v : `[${mime} output: shown in a notebook]`;
}

/** One output place: the plain `display` (new output each call) or a handle (one output, updated). */
class Display {
  private shown = false;
  constructor(private readonly id?: string) {}

  /** Shows `value` (an image as its picture, anything else as its text). */
  show(value: unknown): void {
    this.bundle(mimeBundle(value));
  }

  /** Sends a raw MIME bundle, e.g. `{ "text/html": "<b>hi</b>" }`. */
  bundle(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
    const s = sink();
    const data = jsonReady(bundle);
    if (s === undefined) {
      console.log(consoleText(data));
      return;
    }
    const update = this.id !== undefined && this.shown;
    this.shown = true;
    s.send({ data, metadata, transient: this.id !== undefined ? { display_id: this.id } : {} }, update);
  }

  png(bytes: Uint8Array): void {
    this.bundle({ "image/png": bytes });
  }
  svg(markup: string): void {
    this.bundle({ "image/svg+xml": markup });
  }
  html(markup: string): void {
    this.bundle({ "text/html": markup });
  }
  markdown(text: string): void {
    this.bundle({ "text/markdown": text });
  }
  text(text: string): void {
    this.bundle({ "text/plain": text });
  }
}

/** A handle that owns one output: the first call shows it, later calls replace it in place. */
export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces the output with `value` (shows it the first time). */
  update(value: unknown): void;
  png(bytes: Uint8Array): void;
  svg(markup: string): void;
  html(markup: string): void;
  markdown(text: string): void;
  text(text: string): void;
  bundle(bundle: MimeBundle, metadata?: Record<string, unknown>): void;
}

/**
 * A display that updates in place, for pictures redrawn as a model trains.
 *
 * **Example**
 * ```ts
 * const chart = newDisplay();
 * for (let step = 0; step < 1000; step++) {
 *   train();
 *   if (step % 100 === 0) chart.png(await renderPng(lossChart()));
 * }
 * ```
 */
export function newDisplay(): DisplayHandle {
  // Web Crypto, which Node and a browser's worker both have (node:crypto is not in the room)
  const id = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
  const d = new Display(id);
  return {
    displayId: id,
    update: (value) => d.show(value),
    png: (b) => d.png(b),
    svg: (s) => d.svg(s),
    html: (s) => d.html(s),
    markdown: (s) => d.markdown(s),
    text: (s) => d.text(s),
    bundle: (b, m) => d.bundle(b, m),
  };
}

const plain = new Display();

/**
 * Shows a value as a cell output: an image as its picture, a widget as the widget, anything
 * else as its text. Outside a notebook it prints the value's text to stdout.
 *
 * **Example**
 * ```ts
 * const img = await Image.open("horse.jpg");
 * display(img);                        // the picture, in a notebook
 * display.markdown("**a zebra** now");
 * ```
 */
export const display = Object.assign((value: unknown): void => plain.show(value), {
  png: (bytes: Uint8Array) => plain.png(bytes),
  svg: (markup: string) => plain.svg(markup),
  html: (markup: string) => plain.html(markup),
  markdown: (text: string) => plain.markdown(text),
  text: (text: string) => plain.text(text),
  bundle: (bundle: MimeBundle, metadata?: Record<string, unknown>) => plain.bundle(bundle, metadata),
  /** Whether outputs reach a notebook (else they are printed). */
  inNotebook,
});
