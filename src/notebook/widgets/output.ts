/**
 * @file Output: an area that collects outputs (prints, displays, errors) of chosen code.
 *
 * The kernel does not move outputs itself. It tells the front end "outputs whose parent is
 * request X belong to me" by setting the widget's `msg_id` to X, and clears it after; the front
 * end (JupyterLab's OutputModel, or nbclient when it saves a notebook) then puts those outputs
 * into the widget and syncs them back as `outputs`. X is the request being handled now, which the
 * kernel publishes through `currentParent()` (../parent.ts): the running cell's execute_request,
 * or the comm_msg whose callback is running. Outside a kernel there is no X, and `capture` just
 * runs the function: its output goes where it would have gone.
 */
import { currentParent } from "../parent";
import { DOM_PROPERTIES, domState, layoutAndStyle, type DOMProperties, type DOMWidgetOptions } from "./domWidget";
import { errorLine } from "../../errors";
import { Widget, syncedProperties } from "./widget";

/** An nbformat output (`{output_type: "stream", name, text}`, …), as the front end syncs them. */
export type OutputRecord = Record<string, unknown> & { output_type: string };

export interface Output extends DOMProperties {
  /** The parent msg_id being captured ("" when none). */
  readonly msgId: string;
}

/**
 * **Example**
 * ```ts
 * const log = new widgets.Output();
 * display(log);
 * button.onClick(() => log.capture(() => console.log("clicked")));
 * ```
 */
export class Output extends Widget {
  private depth = 0;

  constructor(options: DOMWidgetOptions = {}) {
    super(
      { _model_name: "OutputModel", _model_module: "@jupyter-widgets/output", _model_module_version: "1.0.0", _view_name: "OutputView", _view_module: "@jupyter-widgets/output", _view_module_version: "1.0.0" },
      { ...domState(options), msg_id: "", outputs: [] },
    );
  }

  /** The outputs the front end has put into this widget. */
  get outputs(): OutputRecord[] {
    return this.getKey("outputs") as OutputRecord[];
  }

  /**
   * Runs `fn` with its outputs going into this widget, and returns what it returns; an async
   * `fn` is captured until its promise settles. Calls may nest. In a kernel, an error `fn`
   * throws is shown in the widget as one line and not rethrown (ipywidgets' Output does the
   * same with its traceback), so the result is then undefined; outside a kernel it is thrown.
   */
  capture<T>(fn: () => T): T {
    const parent = currentParent()?.msg_id;
    if (parent === undefined) return fn();
    this.depth++;
    this.setKey("msg_id", parent);
    let async = false;
    try {
      const result = fn();
      if (result instanceof Promise) {
        async = true;
        return result.catch((err) => void console.error(errorLine(err))).finally(() => this.release()) as T;
      }
      return result;
    } catch (err) {
      console.error(errorLine(err));
      return undefined as T;
    } finally {
      if (!async) this.release();
    }
  }

  /** Empties the widget. */
  clear(): void {
    this.setKey("outputs", []);
  }

  override toString(): string {
    return `Output(${this.outputs.length} outputs)`;
  }

  private release(): void {
    if (--this.depth === 0) this.setKey("msg_id", "");
  }
}
syncedProperties(Output, DOM_PROPERTIES);
Object.defineProperty(Output.prototype, "msgId", {
  get(this: Output) {
    return this.getKey("msg_id");
  },
  configurable: true,
});
layoutAndStyle(Output, false);
