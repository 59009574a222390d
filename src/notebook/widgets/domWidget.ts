/**
 * @file The state every visible widget shares (ipywidgets' DOMWidget: `layout`, `_dom_classes`,
 * `tabbable`, `tooltip`), and that of widgets with a description and a style (DescriptionWidget:
 * `description`, `description_allow_html`, `style`). The Layout is built before the Style and
 * both before the widget, because the front end can only resolve a reference to a model it has.
 */
import { Layout, type LayoutOptions } from "./layout";
import { Style, type StyleModelName, type StyleOptions } from "./style";
import { Widget } from "./widget";

export interface DOMWidgetOptions {
  /** The CSS box: a Layout, or its properties. */
  layout?: Layout | LayoutOptions;
  /** Text shown on hover. */
  tooltip?: string | null;
  tabbable?: boolean | null;
}

export interface DescriptionOptions extends DOMWidgetOptions {
  /** The label beside the control. */
  description?: string;
  descriptionAllowHtml?: boolean;
  style?: StyleOptions;
}

/** The state of a DOMWidget; opens its Layout. */
export function domState(options: DOMWidgetOptions): Record<string, unknown> {
  return {
    _dom_classes: [],
    layout: options.layout instanceof Layout ? options.layout : new Layout(options.layout),
    tabbable: options.tabbable ?? null,
    tooltip: options.tooltip ?? null,
  };
}

/** The state of a DescriptionWidget: its Layout first, then its Style. */
export function descriptionState(options: DescriptionOptions, style: StyleModelName): Record<string, unknown> {
  const dom = domState(options);
  return {
    ...dom,
    description: options.description ?? "",
    description_allow_html: options.descriptionAllowHtml ?? false,
    style: new Style(style, options.style),
  };
}

/** Type-only view of the shared properties (their accessors are defined by each class). */
export interface DOMProperties {
  readonly layout: Layout;
  tooltip: string | null;
  tabbable: boolean | null;
}

export interface DescriptionProperties extends DOMProperties {
  description: string;
  descriptionAllowHtml: boolean;
  readonly style: Style;
}

export const DOM_PROPERTIES = ["tooltip", "tabbable"] as const;
export const DESCRIPTION_PROPERTIES = [...DOM_PROPERTIES, "description", "descriptionAllowHtml"] as const;

/** Read-only accessors for `layout` and `style` (replacing them is not supported). */
export function layoutAndStyle(cls: { prototype: Widget }, withStyle: boolean): void {
  for (const name of withStyle ? ["layout", "style"] : ["layout"]) {
    Object.defineProperty(cls.prototype, name, {
      get(this: Widget) {
        return this.getKey(name);
      },
      configurable: true,
    });
  }
}
