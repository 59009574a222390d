/**
 * @file The live widgets of this process, and the control comm that lists them.
 *
 * When a page (re)connects, JupyterLab opens a comm on `jupyter.widget.control` and sends
 * `{method: "request_states"}`; the kernel answers `{method: "update_states", states:
 * {<model id>: {model_name, model_module, model_module_version, state}}, buffer_paths}`, the
 * paths starting with the model id (ipywidgets' control protocol 1.0.0). Without that answer
 * JupyterLab falls back to comm_info and one `request_state` per widget, after 4 s.
 *
 * Like the comm manager, the registry is kept in a shared slot (../slots.ts) so every copy of stripes' module in
 * the process adds to the one list. The kernel may call `registerWidgetTargets()` at start (it
 * imports only comms), so a page that connects before any widget exists gets an answer too.
 */
import { commManager, type Comm } from "../comms";
import { sharedSlot } from "../slots";
import { removeBuffers } from "./buffers";

export const CONTROL_TARGET = "jupyter.widget.control";

/** What the registry needs of a widget. */
export interface RegisteredWidget {
  readonly modelId: string;
  /** `{model_name, model_module, model_module_version, state}`, state still holding its bytes. */
  describe(): { model_name: string; model_module: string; model_module_version: string; state: Record<string, unknown> };
}

/** Live widgets by model id, in creation order. */
export function liveWidgets(): Map<string, RegisteredWidget> {
  return sharedSlot("widgets", () => new Map<string, RegisteredWidget>());
}

/** The control comm's answer to request_states: every live widget's full state. */
export function updateStates(): { data: object; buffers: Uint8Array[] } {
  const states: Record<string, unknown> = {};
  for (const [id, w] of liveWidgets()) states[id] = w.describe();
  const split = removeBuffers(states);
  return { data: { method: "update_states", states: split.state, buffer_paths: split.bufferPaths }, buffers: split.buffers };
}

function onControlOpen(comm: Comm): void {
  comm.onMsg((data) => {
    if (data?.method !== "request_states") return; // the only request of control protocol 1.0.0
    const { data: answer, buffers } = updateStates();
    comm.send(answer, {}, buffers);
  });
}

/** Registers the control target on the process's comm manager (idempotent). */
export function registerWidgetTargets(): void {
  commManager().registerTarget(CONTROL_TARGET, onControlOpen);
}
