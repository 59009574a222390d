/**
 * @file Button: a click runs the learner's callbacks. The click itself is not state: the front
 * end sends a custom message `{event: "click"}` (ipywidgets' widget_button.py).
 */
import { DOM_PROPERTIES, domState, layoutAndStyle, type DOMProperties, type DOMWidgetOptions } from "./domWidget";
import { Style, type StyleOptions } from "./style";
import { Widget, controlsSpec, syncedProperties } from "./widget";

export interface ButtonOptions extends DOMWidgetOptions {
  description?: string;
  disabled?: boolean;
  buttonStyle?: "primary" | "success" | "info" | "warning" | "danger" | "";
  /** A FontAwesome icon name ("play", "check"). */
  icon?: string;
  style?: StyleOptions;
}

export interface Button extends DOMProperties {
  description: string;
  disabled: boolean;
  buttonStyle: string;
  icon: string;
  readonly style: Style;
}

/**
 * **Example**
 * ```ts
 * const step = new widgets.Button({ description: "train 1 epoch" });
 * step.onClick(() => { trainOneEpoch(); });
 * ```
 */
export class Button extends Widget {
  private readonly clickHandlers: ((button: Button) => void)[] = [];

  constructor(options: ButtonOptions = {}) {
    super(controlsSpec("Button"), {
      ...domState(options),
      style: new Style("ButtonStyle", options.style),
      description: options.description ?? "",
      disabled: options.disabled ?? false,
      button_style: options.buttonStyle ?? "",
      icon: options.icon ?? "",
    });
  }

  /** Calls `cb(button)` on each click. */
  onClick(cb: (button: Button) => void): void {
    this.clickHandlers.push(cb);
  }

  /** Clicks the button from code: runs the click callbacks. */
  click(): void {
    let first: { error: unknown } | undefined;
    for (const cb of [...this.clickHandlers]) {
      try {
        cb(this);
      } catch (error) {
        first ??= { error };
      }
    }
    if (first) throw first.error;
  }

  override toString(): string {
    return `Button(description=${JSON.stringify(this.description)})`;
  }

  protected override onCustom(content: any): void {
    if (content?.event === "click") this.click();
  }
}
syncedProperties(Button, [...DOM_PROPERTIES, "description", "disabled", "buttonStyle", "icon"]);
layoutAndStyle(Button, true);
