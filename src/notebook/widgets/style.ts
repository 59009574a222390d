/**
 * @file Style: the look of a control that CSS alone cannot reach (a slider's handle colour, a
 * button's colour, the description's width). Each control has its own style model in
 * @jupyter-widgets/controls 2.0.0 (SliderStyleModel, ButtonStyleModel…), drawn by
 * @jupyter-widgets/base's StyleView; the keys each one has are ipywidgets' (widget_style.py and
 * the widget files), with the same defaults.
 */
import { Widget, controlsSpec, fromOptions, syncedProperties } from "./widget";

/** Every style property the styles here have; each style model has only some of them. */
export const STYLE_PROPERTIES = [
  "descriptionWidth", "handleColor", "buttonColor", "buttonWidth", "background", "fontFamily", "fontSize",
  "fontStyle", "fontVariant", "fontWeight", "textColor", "textDecoration",
] as const;

export type StyleOptions = Partial<Record<(typeof STYLE_PROPERTIES)[number], string | null>>;

const FONT = { font_family: null, font_size: null, font_style: null, font_variant: null, font_weight: null, text_color: null, text_decoration: null };

/** Each style model's keys and defaults (ipywidgets 8.1). */
export const STYLE_MODELS = {
  DescriptionStyle: { description_width: "" },
  SliderStyle: { description_width: "", handle_color: null },
  ButtonStyle: { button_color: null, ...FONT },
  CheckboxStyle: { background: null, description_width: "" },
  LabelStyle: { background: null, description_width: "", ...FONT },
  HTMLStyle: { background: null, description_width: "", font_size: null, text_color: null },
  ToggleButtonsStyle: { button_width: "", description_width: "", font_weight: "" },
} as const;

export type StyleModelName = keyof typeof STYLE_MODELS;

export interface Style extends Required<StyleOptions> {}

/**
 * A control's style; setting a property its model lacks (a slider's `buttonColor`) is an error.
 *
 * **Example**
 * ```ts
 * const s = new widgets.IntSlider({ description: "epochs", style: { descriptionWidth: "80px", handleColor: "teal" } });
 * ```
 */
export class Style extends Widget {
  constructor(model: StyleModelName, options: StyleOptions = {}) {
    const keys = STYLE_MODELS[model] as Record<string, unknown>;
    const given = fromOptions(options, STYLE_PROPERTIES);
    const state: Record<string, unknown> = { ...keys };
    for (const k of Object.keys(given)) if (k in keys) state[k] = given[k];
    super(controlsSpec(model, "StyleView", "@jupyter-widgets/base"), state);
  }
}
syncedProperties(Style, STYLE_PROPERTIES);
