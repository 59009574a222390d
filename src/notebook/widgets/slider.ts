/**
 * @file Sliders: IntSlider, FloatSlider and FloatLogSlider (ipywidgets' widget_int.py and
 * widget_float.py). FloatLogSlider's `min` and `max` are exponents of `base`, as in ipywidgets:
 * `{ min: -4, max: 0 }` spans 1e-4 … 1.
 */
import { BOUNDED_PROPERTIES, BoundedNumber, type BoundedOptions } from "./bounded";
import { layoutAndStyle } from "./domWidget";
import { controlsSpec, fromOptions, syncedProperties } from "./widget";

export interface SliderOptions extends BoundedOptions {
  /** "horizontal" (default) or "vertical". */
  orientation?: "horizontal" | "vertical";
  /** Show the number beside the slider (default true). */
  readout?: boolean;
  /** d3-format of the readout ("d" for IntSlider, ".2f" FloatSlider, ".3g" FloatLogSlider). */
  readoutFormat?: string;
  /** Send values while dragging (default true), or only on release. */
  continuousUpdate?: boolean;
  behavior?: "drag-tap" | "drag-snap" | "tap" | "drag" | "snap";
}

const SLIDER_PROPERTIES = [...BOUNDED_PROPERTIES, "orientation", "readout", "readoutFormat", "continuousUpdate", "behavior"] as const;

function sliderState(options: SliderOptions, readoutFormat: string): Record<string, unknown> {
  return {
    orientation: "horizontal",
    readout: true,
    readout_format: readoutFormat,
    continuous_update: true,
    behavior: "drag-tap",
    ...fromOptions(options, ["orientation", "readout", "readoutFormat", "continuousUpdate", "behavior"]),
  };
}

export interface IntSlider {
  orientation: "horizontal" | "vertical";
  readout: boolean;
  readoutFormat: string;
  continuousUpdate: boolean;
  behavior: string;
}

/**
 * A slider over integers, min 0 … max 100 by default.
 *
 * **Example**
 * ```ts
 * const epochs = new widgets.IntSlider({ value: 5, min: 1, max: 20, description: "epochs" });
 * epochs;               // shows the slider (a cell's last value, or display(epochs))
 * epochs.observe(({ new: n }) => console.log(n), "value");
 * ```
 */
export class IntSlider extends BoundedNumber {
  constructor(options: SliderOptions = {}) {
    super(controlsSpec("IntSlider"), "SliderStyle", { value: 0, min: 0, max: 100, step: 1 }, sliderState(options, "d"), options);
  }
}

export interface FloatSlider extends IntSlider {}

/** A slider over floats, min 0 … max 10, step 0.1 by default. */
export class FloatSlider extends BoundedNumber {
  constructor(options: SliderOptions = {}) {
    super(controlsSpec("FloatSlider"), "SliderStyle", { value: 0, min: 0, max: 10, step: 0.1 }, sliderState(options, ".2f"), options);
  }
}

export interface FloatLogSliderOptions extends SliderOptions {
  /** The base of the exponents min and max (default 10). */
  base?: number;
}

export interface FloatLogSlider extends IntSlider {
  base: number;
}

/**
 * A slider over a log scale: the value runs from `base ** min` to `base ** max`.
 *
 * **Example**
 * ```ts
 * const lr = new widgets.FloatLogSlider({ value: 2e-4, min: -5, max: -2, description: "lr" });
 * ```
 */
export class FloatLogSlider extends BoundedNumber {
  constructor(options: FloatLogSliderOptions = {}) {
    super(
      controlsSpec("FloatLogSlider"),
      "SliderStyle",
      { value: 1, min: 0, max: 4, step: 0.1 },
      { ...sliderState(options, ".3g"), base: options.base ?? 10 },
      options,
    );
  }

  protected static override valueRange(min: number, max: number, state: Record<string, unknown>): [number, number] {
    const base = (state.base as number | undefined) ?? 10;
    return [base ** min, base ** max];
  }
}

for (const cls of [IntSlider, FloatSlider, FloatLogSlider]) {
  syncedProperties(cls, SLIDER_PROPERTIES);
  layoutAndStyle(cls, true);
}
syncedProperties(FloatLogSlider, ["base"]);
