/**
 * @file A number kept between `min` and `max` (ipywidgets' _BoundedInt / _BoundedFloat): a value
 * outside is clamped, as ipywidgets does (so a front end sending 50 to a slider with max 10 gets
 * an update back to 10); moving `min` above the value moves the value; `min` above `max` is an
 * error. Integer widgets truncate, as ipywidgets' CInt does.
 */
import { DESCRIPTION_PROPERTIES, descriptionState, type DescriptionOptions, type DescriptionProperties } from "./domWidget";
import { WidgetError } from "./errors";
import type { StyleModelName } from "./style";
import { Widget, type ModelSpec } from "./widget";

export interface BoundedOptions extends DescriptionOptions {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
}

export const BOUNDED_PROPERTIES = [...DESCRIPTION_PROPERTIES, "value", "min", "max", "step", "disabled"] as const;

export interface BoundedNumber extends DescriptionProperties {
  value: number;
  min: number;
  max: number;
  step: number;
  disabled: boolean;
}

function clamp(v: number, [lo, hi]: [number, number]): number {
  return Math.min(Math.max(v, lo), hi);
}

export class BoundedNumber extends Widget {
  /** @internal */
  constructor(spec: ModelSpec, style: StyleModelName, defaults: { value: number; min: number; max: number; step: number }, state: Record<string, unknown>, options: BoundedOptions) {
    const kind = spec._model_name.replace(/Model$/, "");
    const integer = BoundedNumber.isInteger(spec);
    const num = (name: keyof typeof defaults) => {
      const v = options[name] ?? defaults[name];
      if (typeof v !== "number" || Number.isNaN(v)) throw new WidgetError(`${kind}: ${name} must be a number, got ${JSON.stringify(v)}`);
      return integer ? Math.trunc(v) : v;
    };
    const [min, max] = [num("min"), num("max")];
    if (min > max) throw new WidgetError(`${kind}: min ${min} is above max ${max}`);
    super(spec, {
      ...descriptionState(options, style),
      disabled: options.disabled ?? false,
      ...state,
      min,
      max,
      step: num("step"),
      value: clamp(num("value"), (new.target as typeof BoundedNumber).valueRange(min, max, state)),
    });
  }

  private static isInteger(spec: { _model_name: unknown }): boolean {
    return /^(Int|Play)/.test(String(spec._model_name));
  }

  /** The value's range for these bounds (FloatLogSlider's bounds are exponents of `state.base`). */
  protected static valueRange(min: number, max: number, _state: Record<string, unknown>): [number, number] {
    return [min, max];
  }

  private bounds(): [number, number] {
    const cls = this.constructor as typeof BoundedNumber;
    return cls.valueRange(this.getKey("min") as number, this.getKey("max") as number, { base: this.getKey("base") });
  }

  protected override validate(key: string, value: unknown): unknown {
    if (!["value", "min", "max", "step"].includes(key)) return value;
    const kind = String(this.getKey("_model_name")).replace(/Model$/, "");
    if (typeof value !== "number" || Number.isNaN(value)) throw new WidgetError(`${kind}: ${key} must be a number, got ${JSON.stringify(value)}`);
    const v = BoundedNumber.isInteger({ _model_name: this.getKey("_model_name") }) ? Math.trunc(value) : value;
    if (key === "min" && v > (this.getKey("max") as number)) throw new WidgetError(`${kind}: min ${v} is above max ${this.getKey("max")}`);
    if (key === "max" && v < (this.getKey("min") as number)) throw new WidgetError(`${kind}: max ${v} is below min ${this.getKey("min")}`);
    if (key !== "value") return v;
    return clamp(v, this.bounds());
  }

  protected override changed(key: string, old: unknown, value: unknown): void {
    super.changed(key, old, value);
    if (key === "min" || key === "max") {
      const [lo, hi] = this.bounds();
      const v = this.getKey("value") as number;
      if (v < lo || v > hi) this.setKey("value", v); // re-validated: clamped into the new range
    }
  }
}
