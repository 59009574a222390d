/**
 * @file Image: encoded image bytes (PNG by default) shown as a widget; setting `value` redraws it
 * in place. The bytes travel as a binary buffer at path ["value"], not in the JSON.
 */
import { DOM_PROPERTIES, domState, layoutAndStyle, type DOMProperties, type DOMWidgetOptions } from "./domWidget";
import { WidgetError } from "./errors";
import { Widget, controlsSpec, syncedProperties } from "./widget";

export interface ImageOptions extends DOMWidgetOptions {
  /** The encoded image (PNG, JPEG, GIF… bytes). */
  value?: Uint8Array;
  /** "png" (default), "jpeg", "gif", "svg+xml"…: the image/<format> MIME subtype. */
  format?: string;
  /** CSS width/height; a number means pixels. */
  width?: number | string;
  height?: number | string;
}

export interface Image extends DOMProperties {
  value: Uint8Array;
  format: string;
  width: string;
  height: string;
}

/**
 * **Example**
 * ```ts
 * const view = new widgets.Image({ value: fs.readFileSync("zebra.png"), width: 256 });
 * view.value = nextFramePng;   // redraws
 * ```
 */
export class Image extends Widget {
  constructor(options: ImageOptions = {}) {
    super(controlsSpec("Image"), {
      ...domState(options),
      value: options.value ?? new Uint8Array(0),
      format: options.format ?? "png",
      width: options.width === undefined ? "" : String(options.width),
      height: options.height === undefined ? "" : String(options.height),
    });
  }

  override toString(): string {
    return `Image(format=${JSON.stringify(this.format)}, ${this.value.length} bytes)`;
  }

  protected override validate(key: string, value: unknown): unknown {
    if (key === "value" && !(value instanceof Uint8Array)) throw new WidgetError(`${this}: value must be a Uint8Array of encoded image bytes`);
    if (key === "width" || key === "height") return String(value); // ipywidgets' CUnicode
    return value;
  }
}
syncedProperties(Image, [...DOM_PROPERTIES, "value", "format", "width", "height"]);
layoutAndStyle(Image, false);
