/**
 * @file Choosing one of several options: Dropdown and ToggleButtons (ipywidgets'
 * widget_selection.py). The front end knows only the labels (`_options_labels`) and the chosen
 * `index`; the values stay in the kernel, so options can be any values: `["relu", "tanh"]`, or
 * `[label, value]` pairs like `[["small", 8], ["large", 64]]`. `value` and `label` follow
 * `index`, and observers of "value" are told when the index changes.
 */
import { DESCRIPTION_PROPERTIES, descriptionState, layoutAndStyle, type DescriptionOptions, type DescriptionProperties } from "./domWidget";
import { WidgetError } from "./errors";
import type { StyleModelName } from "./style";
import { Widget, controlsSpec, syncedProperties, type ModelSpec } from "./widget";

export type Options<T> = readonly T[] | readonly (readonly [string, T])[];

export interface SelectionOptions<T> extends DescriptionOptions {
  options: Options<T>;
  /** The chosen option's value (default: the first option). */
  value?: T;
  disabled?: boolean;
}

function pairs<T>(options: Options<T>): [string, T][] {
  return options.map((o) => (Array.isArray(o) && o.length === 2 && typeof o[0] === "string" ? [o[0], o[1]] : [String(o), o as T]));
}

export interface Selection<T> extends DescriptionProperties {
  /** Position of the chosen option, or null when there are none. */
  index: number | null;
  disabled: boolean;
}

export class Selection<T = unknown> extends Widget {
  private choices: [string, T][];

  /** @internal */
  constructor(spec: ModelSpec, style: StyleModelName, state: Record<string, unknown>, options: SelectionOptions<T>) {
    const kind = spec._model_name.replace(/Model$/, "");
    if (!Array.isArray(options?.options)) throw new WidgetError(`${kind}: options must be an array of values or of [label, value] pairs`);
    const choices = pairs(options.options);
    let index: number | null = choices.length > 0 ? 0 : null;
    if (options.value !== undefined) {
      index = choices.findIndex(([, v]) => v === options.value);
      if (index < 0) throw new WidgetError(`${kind}: value ${JSON.stringify(options.value)} is not one of the options (${choices.map(([l]) => l).join(", ")})`);
    }
    super(spec, { ...descriptionState(options, style), disabled: options.disabled ?? false, ...state, _options_labels: choices.map(([l]) => l), index });
    this.choices = choices;
  }

  /** The chosen option's value (null when there are no options). */
  get value(): T | null {
    const i = this.index;
    return i === null ? null : (this.choices[i]?.[1] ?? null);
  }

  set value(v: T | null) {
    const i = this.choices.findIndex(([, c]) => c === v);
    if (i < 0) throw new WidgetError(`${this}: value ${JSON.stringify(v)} is not one of the options (${this.choices.map(([l]) => l).join(", ")})`);
    this.index = i;
  }

  /** The chosen option's label. */
  get label(): string | null {
    const i = this.index;
    return i === null ? null : (this.choices[i]?.[0] ?? null);
  }

  /** The options as [label, value] pairs; setting them chooses the first. */
  get options(): [string, T][] {
    return this.choices.map(([l, v]) => [l, v]);
  }

  set options(options: Options<T>) {
    const old = { value: this.value, label: this.label };
    this.choices = pairs(options);
    this.setKey("_options_labels", this.choices.map(([l]) => l));
    const before = this.index;
    this.setKey("index", this.choices.length > 0 ? 0 : null);
    if (before === this.index) this.emitFollowers(old); // index unchanged, but what it points at may not be
  }

  override toString(): string {
    return `${String(this.getKey("_model_name")).replace(/Model$/, "")}(value=${JSON.stringify(this.value ?? null)})`;
  }

  protected override validate(key: string, value: unknown): unknown {
    if (key !== "index") return value;
    if (value === null && this.choices.length === 0) return null;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= this.choices.length) {
      throw new WidgetError(`${this}: index ${JSON.stringify(value)} is out of range 0..${this.choices.length - 1}`);
    }
    return value;
  }

  protected override changed(key: string, old: unknown, value: unknown): void {
    if (key !== "index") return super.changed(key, old, value);
    const at = (i: unknown) => (typeof i === "number" ? this.choices[i] : undefined);
    super.changed(key, old, value);
    this.emitFollowers({ value: at(old)?.[1] ?? null, label: at(old)?.[0] ?? null });
  }

  private emitFollowers(old: { value: unknown; label: unknown }): void {
    if (old.value !== this.value) this.emit("value", old.value, this.value);
    if (old.label !== this.label) this.emit("label", old.label, this.label);
  }
}

syncedProperties(Selection, [...DESCRIPTION_PROPERTIES, "index", "disabled"]);
layoutAndStyle(Selection, true);

/**
 * A drop-down list.
 *
 * **Example**
 * ```ts
 * const act = new widgets.Dropdown({ options: ["relu", "tanh"], value: "tanh", description: "activation" });
 * const width = new widgets.Dropdown({ options: [["small", 8], ["large", 64]], value: 64 });
 * width.label;   // "large"
 * ```
 */
export class Dropdown<T = unknown> extends Selection<T> {
  constructor(options: SelectionOptions<T>) {
    super(controlsSpec("Dropdown"), "DescriptionStyle", {}, options);
  }
}

export interface ToggleButtonsOptions<T> extends SelectionOptions<T> {
  /** One tooltip per button. */
  tooltips?: string[];
  /** One FontAwesome icon name per button. */
  icons?: string[];
  buttonStyle?: "primary" | "success" | "info" | "warning" | "danger" | "";
}

export interface ToggleButtons<T> {
  tooltips: string[];
  icons: string[];
  buttonStyle: string;
}

/** A row of buttons, one of them pressed. */
export class ToggleButtons<T = unknown> extends Selection<T> {
  constructor(options: ToggleButtonsOptions<T>) {
    super(controlsSpec("ToggleButtons"), "ToggleButtonsStyle", { button_style: options.buttonStyle ?? "", icons: options.icons ?? [], tooltips: options.tooltips ?? [] }, options);
  }
}
syncedProperties(ToggleButtons, ["tooltips", "icons", "buttonStyle"]);
