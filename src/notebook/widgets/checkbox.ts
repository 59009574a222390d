/** @file Checkbox: a true/false value (ipywidgets' widget_bool.py). */
import { DESCRIPTION_PROPERTIES, descriptionState, layoutAndStyle, type DescriptionOptions, type DescriptionProperties } from "./domWidget";
import { WidgetError } from "./errors";
import { Widget, controlsSpec, syncedProperties } from "./widget";

export interface CheckboxOptions extends DescriptionOptions {
  value?: boolean;
  disabled?: boolean;
  /** Line the box up with other controls' descriptions (default true). */
  indent?: boolean;
}

export interface Checkbox extends DescriptionProperties {
  value: boolean;
  disabled: boolean;
  indent: boolean;
}

/**
 * **Example**
 * ```ts
 * const show = new widgets.Checkbox({ value: true, description: "show samples" });
 * ```
 */
export class Checkbox extends Widget {
  constructor(options: CheckboxOptions = {}) {
    super(controlsSpec("Checkbox"), {
      ...descriptionState(options, "CheckboxStyle"),
      value: options.value ?? false,
      disabled: options.disabled ?? false,
      indent: options.indent ?? true,
    });
  }

  protected override validate(key: string, value: unknown): unknown {
    if (key === "value" && typeof value !== "boolean") throw new WidgetError(`${this}: value must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }
}
syncedProperties(Checkbox, [...DESCRIPTION_PROPERTIES, "value", "disabled", "indent"]);
layoutAndStyle(Checkbox, true);
