/**
 * @file The base of every widget: a model whose synced state lives in the kernel and in the
 * front end at once, kept equal by the ipywidgets message protocol 2.1 (packages/schema/messages.md
 * in jupyter-widgets/ipywidgets; ipywidgets' widget.py is the kernel side this follows).
 *
 * - Construction opens a comm on `jupyter.widget` with `data {state, buffer_paths}` and
 *   `metadata {version: "2.1.0"}`; the comm id is the model id. Widgets the state refers to
 *   (layout, style, children) are built, and so opened, first.
 * - Setting a property in the kernel sends `comm_msg {method: "update", state: {key}}`, then
 *   runs `observe` callbacks with `{name, old, new, owner}`.
 * - An `update` from the front end is echoed back first (`echo_update`, unless
 *   JUPYTER_WIDGETS_ECHO=0, so other views of the model agree), then applied; while it is
 *   applied, the received values are locked: a change equal to what the front end sent is not
 *   sent back, a different one (a value clamped to max) is.
 * - `request_state` is answered with one `update` holding the full state; `custom` messages go
 *   to `onCustom` (Button's clicks).
 * - Bytes in state travel as buffers (buffers.ts).
 * - An error thrown by a callback run for a front-end message is printed on stderr as one line
 *   (parented by the kernel to that message); one run for a change made by code is thrown.
 *
 * Learner-facing names are camelCase (`continuousUpdate`); on the wire they are ipywidgets'
 * snake_case (`continuous_update`). Without a kernel (plain Node) everything works locally:
 * properties, validation, observe; nothing is sent.
 */
import { inspect } from "node:util";
import { commManager, type Comm } from "../comms";
import { putBuffers, removeBuffers, type BufferPath } from "./buffers";
import { errorLine } from "../../errors";
import { WidgetError } from "./errors";
import { liveWidgets, registerWidgetTargets, type RegisteredWidget } from "./registry";

export const WIDGET_TARGET = "jupyter.widget";
/** ipywidgets' `__protocol_version__`; the front end checks the major only. */
export const PROTOCOL_VERSION = "2.1.0";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
const DISPLAY = Symbol.for("Jupyter.display");
const REF = "IPY_MODEL_";

/** The six names that say which front-end classes draw a model. */
export interface ModelSpec {
  _model_name: string;
  _model_module: string;
  _model_module_version: string;
  _view_name: string | null;
  _view_module: string;
  _view_module_version: string;
}

/** A model of @jupyter-widgets/controls 2.0.0 (sliders, buttons, boxes…), with its view. */
export function controlsSpec(name: string, view: string | null = `${name}View`, viewModule = "@jupyter-widgets/controls"): ModelSpec {
  return {
    _model_name: `${name}Model`,
    _model_module: "@jupyter-widgets/controls",
    _model_module_version: "2.0.0",
    _view_name: view,
    _view_module: viewModule,
    _view_module_version: "2.0.0",
  };
}

/** What an `observe` callback gets. `name` is the learner-facing (camelCase) property name. */
export interface Change<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: Widget;
}

export type Observer<T = any> = (change: Change<T>) => void;

/** ipywidgets' trait name for a learner-facing property: `continuousUpdate` → `continuous_update`. */
export function wireName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The learner-facing name of a state key: `continuous_update` → `continuousUpdate`. */
export function learnerName(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Wire state for the options a learner gave (undefined ones left out, so defaults stay). */
export function fromOptions(options: object, names: readonly string[]): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const name of names) {
    const v = (options as Record<string, unknown>)[name];
    if (v !== undefined) state[wireName(name)] = v;
  }
  return state;
}

/**
 * Defines the learner's accessors for synced properties on a widget class: `slider.value` reads
 * the state and `slider.value = 5` sets it (validated, synced, observed). Pair with `declare`d
 * fields in the class for their types.
 */
export function syncedProperties(cls: { prototype: Widget }, names: readonly string[]): void {
  for (const name of names) {
    const key = wireName(name);
    Object.defineProperty(cls.prototype, name, {
      get(this: Widget) {
        return this.getKey(key);
      },
      set(this: Widget, value: unknown) {
        this.setKey(key, value);
      },
      configurable: true,
    });
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Equality of state values as JSON sees them (arrays and objects by content, bytes by bytes). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  return JSON.stringify(toJson(a)) === JSON.stringify(toJson(b));
}

/** A state value as sent: widgets become "IPY_MODEL_<id>" references; bytes stay (for buffers). */
function toJson(value: unknown): unknown {
  if (value instanceof Widget) return REF + value.modelId;
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** A received value: references to live widgets become those widgets. */
function fromJson(value: unknown): unknown {
  if (typeof value === "string" && value.startsWith(REF)) return liveWidgets().get(value.slice(REF.length)) ?? value;
  if (Array.isArray(value)) return value.map(fromJson);
  return value;
}

function echoEnabled(): boolean {
  const v = process.env.JUPYTER_WIDGETS_ECHO;
  return v === undefined || !["no", "n", "false", "off", "0", "0.0"].includes(v.toLowerCase());
}

/** Keys a front end never sets: which classes draw the model. */
const SPEC_KEYS = new Set(["_model_name", "_model_module", "_model_module_version", "_view_name", "_view_module", "_view_module_version"]);
/** Keys whose values are widgets (sent as references). */
const REF_KEYS = new Set(["layout", "style", "children"]);

export class Widget implements RegisteredWidget {
  /** The model id: the id of the widget's comm, and what a display of it names. */
  readonly modelId: string;
  private readonly values: Record<string, unknown>;
  private readonly comm: Comm;
  private readonly observers: { cb: Observer; names: Set<string> | undefined }[] = [];
  /** The state being applied from the front end, as received (see the file header). */
  private lock: Record<string, unknown> | undefined;
  private closed = false;

  /** @internal subclasses pass their model spec and full initial state (wire names). */
  constructor(spec: ModelSpec, state: Record<string, unknown>) {
    registerWidgetTargets();
    const all: Record<string, unknown> = { ...spec, _view_count: null, ...state };
    this.values = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]])); // ipywidgets' key order
    const split = removeBuffers(this.getState());
    this.comm = commManager().open(WIDGET_TARGET, { state: split.state, buffer_paths: split.bufferPaths }, { version: PROTOCOL_VERSION }, split.buffers);
    this.modelId = this.comm.commId;
    liveWidgets().set(this.modelId, this);
    this.comm.onMsg((data, buffers) => {
      // A change from the page: an error in the learner's callback is printed as one line (the
      // kernel parents it to the page's message, as ipywidgets' traceback is), not thrown.
      try {
        this.handleMsg(data, buffers);
      } catch (err) {
        console.error(`${this}: ${errorLine(err)}`);
      }
    });
    this.comm.onClose(() => this.forget());
  }

  /**
   * Calls `cb({name, old, new, owner})` after each change of the named properties (all when
   * `names` is left out), whether the change came from code or from the front end.
   *
   * **Example**
   * ```ts
   * const n = new widgets.IntSlider({ value: 3, max: 10 });
   * n.observe(({ old, new: now }) => console.log(`${old} -> ${now}`), "value");
   * n.value = 5;   // 3 -> 5
   * ```
   */
  observe(cb: Observer, names?: string | string[]): void {
    this.observers.push({ cb, names: names === undefined ? undefined : new Set(typeof names === "string" ? [names] : names) });
  }

  /** Stops calling `cb` (for the given names, or at all). */
  unobserve(cb: Observer, names?: string | string[]): void {
    const drop = names === undefined ? undefined : new Set(typeof names === "string" ? [names] : names);
    for (let i = this.observers.length - 1; i >= 0; i--) {
      const o = this.observers[i];
      if (o.cb !== cb) continue;
      if (drop === undefined || o.names === undefined) this.observers.splice(i, 1);
      else for (const n of drop) o.names.delete(n);
    }
  }

  /** Closes the widget: its comm closes and every view of it disappears from the page. */
  close(): void {
    if (this.closed) return;
    this.comm.close();
    this.forget();
  }

  /** True once closed by code or by the front end. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The full state as sent (references for widgets, bytes still in place). */
  getState(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.values).map(([k, v]) => [k, toJson(v)]));
  }

  /** @internal for the control comm and saved state */
  describe() {
    const v = this.values as unknown as ModelSpec;
    return { model_name: v._model_name, model_module: v._model_module, model_module_version: v._model_module_version, state: this.getState() };
  }

  /** How a notebook shows the widget: its view (Deno's convention, asked for by display()). */
  [DISPLAY](): Record<string, unknown> {
    if (this.closed) return { "text/plain": this.toString() };
    return { "text/plain": this.toString(), [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 0, model_id: this.modelId } };
  }

  toString(): string {
    const name = String(this.values._model_name).replace(/Model$/, "");
    const v = this.values.value;
    const shown = "value" in this.values && !(v instanceof Uint8Array) ? `value=${JSON.stringify(v)}` : "";
    return `${name}(${shown})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** @internal a property's value (wire name) */
  getKey(key: string): unknown {
    return this.values[key];
  }

  /** @internal sets a property (wire name): validated, sent unless unchanged, then observed */
  setKey(key: string, value: unknown): void {
    if (!(key in this.values) || SPEC_KEYS.has(key)) {
      throw new WidgetError(`${this}: no settable property '${learnerName(key)}'`);
    }
    const next = this.validate(key, value);
    const old = this.values[key];
    if (same(old, next)) return;
    this.values[key] = next;
    this.sendState([key]);
    this.changed(key, old, next);
  }

  /** Checks or corrects a new value before it is stored (sliders clamp); throws WidgetError if wrong. */
  protected validate(_key: string, value: unknown): unknown {
    return value;
  }

  /** Runs the observers of a changed key; subclasses add the changes it implies (Dropdown's value). */
  protected changed(key: string, old: unknown, value: unknown): void {
    if (key.startsWith("_")) return; // the protocol's own keys (_options_labels) are not properties
    this.emit(learnerName(key), old, value);
  }

  /** Calls the observers of `name`; all run even if one throws, then the first error is rethrown. */
  protected emit(name: string, old: unknown, value: unknown): void {
    let first: { error: unknown } | undefined;
    for (const o of [...this.observers]) {
      if (o.names !== undefined && !o.names.has(name)) continue;
      try {
        o.cb({ name, old, new: value, owner: this });
      } catch (error) {
        first ??= { error };
      }
    }
    if (first) throw first.error;
  }

  /** A front end's custom message (`{method: "custom", content}`). */
  protected onCustom(_content: any, _buffers: Uint8Array[]): void {}

  /** Sends a custom message to the front end's model. */
  protected sendCustom(content: object, buffers: Uint8Array[] = []): void {
    if (!this.closed) this.comm.send({ method: "custom", content }, {}, buffers);
  }

  /** Sends `update` for these keys, leaving out values equal to the front end's locked ones. */
  private sendState(keys: string[]): void {
    if (this.closed) return;
    const state: Record<string, unknown> = {};
    for (const k of keys) {
      const v = toJson(this.values[k]);
      if (this.lock !== undefined && k in this.lock && same(v, this.lock[k])) continue;
      state[k] = v;
    }
    if (Object.keys(state).length === 0) return;
    const split = removeBuffers(state);
    this.comm.send({ method: "update", state: split.state, buffer_paths: split.bufferPaths }, {}, split.buffers);
  }

  private handleMsg(data: any, buffers: Uint8Array[]): void {
    switch (data?.method) {
      case "update": {
        const state = (data.state ?? {}) as Record<string, unknown>;
        putBuffers(state, data.buffer_paths as BufferPath[] | undefined, buffers);
        this.receive(state);
        return;
      }
      case "request_state":
        this.sendState(Object.keys(this.values));
        return;
      case "custom":
        this.onCustom(data.content, buffers);
        return;
    }
  }

  /** Applies an update from the front end (see the file header). */
  private receive(state: Record<string, unknown>): void {
    const keys = Object.keys(state).filter((k) => k in this.values && !SPEC_KEYS.has(k));
    if (keys.length === 0) return;
    if (echoEnabled() && !this.closed) {
      const split = removeBuffers(Object.fromEntries(keys.map((k) => [k, state[k]])));
      this.comm.send({ method: "echo_update", state: split.state, buffer_paths: split.bufferPaths }, {}, split.buffers);
    }
    this.lock = state;
    try {
      const changes: [string, unknown, unknown][] = [];
      for (const k of keys) {
        const next = this.validate(k, REF_KEYS.has(k) ? fromJson(state[k]) : state[k]);
        const old = this.values[k];
        if (same(old, next)) continue;
        this.values[k] = next;
        changes.push([k, old, next]);
      }
      let first: { error: unknown } | undefined;
      for (const [k, old, next] of changes) {
        this.sendState([k]);
        try {
          this.changed(k, old, next);
        } catch (error) {
          first ??= { error };
        }
      }
      if (first) throw first.error;
    } finally {
      this.lock = undefined;
    }
  }

  private forget(): void {
    this.closed = true;
    liveWidgets().delete(this.modelId);
  }
}
