/** @file Text shown as a widget: Label (plain text) and HTML (ipywidgets' widget_string.py). */
import { DESCRIPTION_PROPERTIES, descriptionState, layoutAndStyle, type DescriptionOptions, type DescriptionProperties } from "./domWidget";
import type { StyleModelName } from "./style";
import { Widget, controlsSpec, syncedProperties } from "./widget";

export interface TextOptions extends DescriptionOptions {
  value?: string;
  placeholder?: string;
}

export interface Label extends DescriptionProperties {
  value: string;
  placeholder: string;
}

function textState(options: TextOptions, style: StyleModelName): Record<string, unknown> {
  // ipywidgets' placeholder default is a zero-width space, which keeps an empty label's height
  return { ...descriptionState(options, style), value: options.value ?? "", placeholder: options.placeholder ?? "\u200b" };
}

/**
 * Plain text, updatable: a cheap live readout.
 *
 * **Example**
 * ```ts
 * const status = new widgets.Label({ value: "epoch 0" });
 * status.value = "epoch 1: loss 0.693";
 * ```
 */
export class Label extends Widget {
  constructor(options: TextOptions = {}) {
    super(controlsSpec("Label"), textState(options, "LabelStyle"));
  }
}

export interface HTML extends Label {}

/** HTML, updatable (the front end sanitizes it). */
export class HTML extends Widget {
  constructor(options: TextOptions = {}) {
    super(controlsSpec("HTML"), textState(options, "HTMLStyle"));
  }
}

for (const cls of [Label, HTML]) {
  syncedProperties(cls, [...DESCRIPTION_PROPERTIES, "value", "placeholder"]);
  layoutAndStyle(cls, true);
}
