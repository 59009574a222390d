/**
 * @file Layout: a widget's CSS box (width, margin, flex…), its own model (LayoutModel of
 * @jupyter-widgets/base 2.0.0) that every DOM widget refers to. Every property is a CSS string,
 * or null for the browser's default, as in ipywidgets' widget_layout.py.
 */
import { Widget, fromOptions, syncedProperties } from "./widget";

/** CSS properties of a Layout, camelCase; on the wire snake_case (maxWidth → max_width). */
export const LAYOUT_PROPERTIES = [
  "alignContent", "alignItems", "alignSelf", "borderBottom", "borderLeft", "borderRight", "borderTop", "bottom",
  "display", "flex", "flexFlow", "gridArea", "gridAutoColumns", "gridAutoFlow", "gridAutoRows", "gridColumn",
  "gridGap", "gridRow", "gridTemplateAreas", "gridTemplateColumns", "gridTemplateRows", "height", "justifyContent",
  "justifyItems", "left", "margin", "maxHeight", "maxWidth", "minHeight", "minWidth", "objectFit", "objectPosition",
  "order", "overflow", "padding", "right", "top", "visibility", "width",
] as const;

export type LayoutOptions = Partial<Record<(typeof LAYOUT_PROPERTIES)[number], string | null>>;

export interface Layout extends Required<LayoutOptions> {}

/**
 * **Example**
 * ```ts
 * const s = new widgets.IntSlider({ layout: { width: "400px" } });
 * s.layout.width = "100%";
 * ```
 */
export class Layout extends Widget {
  constructor(options: LayoutOptions = {}) {
    const state: Record<string, unknown> = {};
    for (const name of LAYOUT_PROPERTIES) state[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = null;
    super(
      { _model_name: "LayoutModel", _model_module: "@jupyter-widgets/base", _model_module_version: "2.0.0", _view_name: "LayoutView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0" },
      { ...state, ...fromOptions(options, LAYOUT_PROPERTIES) },
    );
  }
}
syncedProperties(Layout, LAYOUT_PROPERTIES);
