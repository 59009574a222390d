/**
 * @file Widget state for a saved notebook, gathered from the kernel's comm messages the way
 * nbclient (nbconvert --execute) does it (jupyter/nbclient nbclient/client.py `handle_comm_msg`,
 * `set_widgets_metadata`, output_widget.py), so that a notebook run by `stripes run` opens with
 * its sliders drawn, before any kernel is connected.
 *
 * - Every `comm_open` / `comm_msg` whose data has a `state` merges it into that comm's state
 *   (updates, echo_updates); its buffers are kept base64 by `buffer_paths`, newest per path.
 * - The metadata is `metadata.widgets["application/vnd.jupyter.widget-state+json"] =
 *   {version_major: 2, version_minor: 0, state: {<id>: {model_name, model_module,
 *   model_module_version, state, buffers?}}}`, listing states that have a `_model_name`.
 * - Output widgets are played as a front end plays them: while one's `msg_id` is set, outputs
 *   parented to that msg_id go into its `outputs` instead of the cell's (`capture`).
 *
 * One deliberate difference: a comm the kernel closed is dropped (nbclient keeps it); a closed
 * widget has no views left, and JupyterLab's own saved state lists only live models.
 */
import { joinLines, outputFromMsg, type Output } from "./nbformat";

export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";

/** The fields of a kernel message read here (the client's Message has them). */
export interface CommLikeMessage {
  header: { msg_type: string };
  parent_header?: { msg_id?: string };
  content: any;
  buffers?: Uint8Array[];
}

interface SavedBuffer {
  path: (string | number)[];
  data: string;
  encoding: "base64";
}

export interface WidgetStateMetadata {
  version_major: 2;
  version_minor: 0;
  state: Record<string, { model_name: unknown; model_module: unknown; model_module_version: unknown; state: Record<string, unknown>; buffers?: SavedBuffer[] }>;
}

const OUTPUT_TYPES = new Set(["stream", "display_data", "execute_result", "error", "clear_output"]);

export class WidgetStateCollector {
  private readonly states = new Map<string, Record<string, unknown>>();
  private readonly buffers = new Map<string, Map<string, SavedBuffer>>();
  private readonly clearNext = new Set<string>();

  /** Reads one iopub message; returns true when an Output widget took it (not the cell's then). */
  add(msg: CommLikeMessage): boolean {
    const type = msg.header.msg_type;
    const c = msg.content ?? {};
    if (type === "comm_close") {
      this.states.delete(c.comm_id);
      this.buffers.delete(c.comm_id);
      return false;
    }
    if (type === "comm_open" || type === "comm_msg") {
      const data = c.data ?? {};
      if (data.state === null || typeof data.state !== "object" || typeof c.comm_id !== "string") return false;
      const state = this.states.get(c.comm_id) ?? {};
      Object.assign(state, data.state);
      this.states.set(c.comm_id, state);
      const paths: (string | number)[][] = Array.isArray(data.buffer_paths) ? data.buffer_paths : [];
      paths.forEach((path, i) => {
        const bytes = msg.buffers?.[i];
        if (bytes === undefined) return;
        const saved = this.buffers.get(c.comm_id) ?? new Map<string, SavedBuffer>();
        saved.set(JSON.stringify(path), { path, data: Buffer.from(bytes).toString("base64"), encoding: "base64" });
        this.buffers.set(c.comm_id, saved);
      });
      return false;
    }
    if (OUTPUT_TYPES.has(type)) return this.capture(msg);
    return false;
  }

  /** The notebook's `metadata.widgets`, or undefined when no widget was made. */
  metadata(): { [WIDGET_STATE_MIME]: WidgetStateMetadata } | undefined {
    const state: WidgetStateMetadata["state"] = {};
    for (const [id, s] of this.states) {
      if (!("_model_name" in s)) continue;
      state[id] = { model_name: s._model_name, model_module: s._model_module, model_module_version: s._model_module_version, state: s };
      const saved = this.buffers.get(id);
      if (saved && saved.size > 0) state[id].buffers = [...saved.values()];
    }
    if (Object.keys(state).length === 0) return undefined;
    return { [WIDGET_STATE_MIME]: { version_major: 2, version_minor: 0, state } };
  }

  /** An output for an Output widget capturing its parent's msg_id: appended to the widget's outputs. */
  private capture(msg: CommLikeMessage): boolean {
    const parent = msg.parent_header?.msg_id;
    if (!parent) return false;
    // the most recently opened capturing widget wins, as in the front end's hook stack
    const id = [...this.states.keys()].reverse().find((k) => {
      const s = this.states.get(k)!;
      return s._model_name === "OutputModel" && s.msg_id === parent;
    });
    if (id === undefined) return false;
    const state = this.states.get(id)!;
    const outputs = (Array.isArray(state.outputs) ? state.outputs : []) as Output[];
    if (msg.header.msg_type === "clear_output") {
      if (msg.content?.wait) this.clearNext.add(id);
      else state.outputs = [];
      return true;
    }
    const out = outputFromMsg(msg as any);
    if (!out) return true;
    const kept = this.clearNext.delete(id) ? [] : outputs;
    const last = kept[kept.length - 1];
    if (out.output_type === "stream" && last?.output_type === "stream" && last.name === out.name) {
      state.outputs = [...kept.slice(0, -1), { ...last, text: joinLines(last.text) + joinLines(out.text) }];
    } else state.outputs = [...kept, out];
    return true;
  }
}
