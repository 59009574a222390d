/** @file Boxes: HBox (a row) and VBox (a column) of other widgets (ipywidgets' widget_box.py). */
import { DOM_PROPERTIES, domState, layoutAndStyle, type DOMProperties, type DOMWidgetOptions } from "./domWidget";
import { WidgetError } from "./errors";
import { Widget, controlsSpec, syncedProperties } from "./widget";

export interface BoxOptions extends DOMWidgetOptions {
  boxStyle?: "success" | "info" | "warning" | "danger" | "";
}

export interface Box extends DOMProperties {
  /** The widgets inside, in order; set a new array to change them. */
  children: Widget[];
  boxStyle: string;
}

function checkChildren(kind: string, children: unknown): Widget[] {
  if (!Array.isArray(children) || !children.every((c) => c instanceof Widget)) {
    throw new WidgetError(`${kind}: children must be an array of widgets`);
  }
  return [...children];
}

export class Box extends Widget {
  /** @internal */
  constructor(kind: "HBox" | "VBox", children: Widget[], options: BoxOptions) {
    super(controlsSpec(kind), { ...domState(options), children: checkChildren(kind, children), box_style: options.boxStyle ?? "" });
  }

  override toString(): string {
    return `${String(this.getKey("_model_name")).replace(/Model$/, "")}(children=[${this.children.map(String).join(", ")}])`;
  }

  protected override validate(key: string, value: unknown): unknown {
    return key === "children" ? checkChildren(String(this.getKey("_model_name")), value) : value;
  }
}
syncedProperties(Box, [...DOM_PROPERTIES, "children", "boxStyle"]);
layoutAndStyle(Box, false);

/**
 * **Example**
 * ```ts
 * new widgets.HBox([new widgets.Button({ description: "step" }), new widgets.Label({ value: "epoch 0" })]);
 * ```
 */
export class HBox extends Box {
  constructor(children: Widget[] = [], options: BoxOptions = {}) {
    super("HBox", children, options);
  }
}

export class VBox extends Box {
  constructor(children: Widget[] = [], options: BoxOptions = {}) {
    super("VBox", children, options);
  }
}
