/**
 * Saved widget state: WidgetStateCollector turns comm messages into the notebook's
 * metadata.widgets exactly as nbclient 0.11 does (the fixture's "saved" scenario holds the
 * messages ipywidgets 8.1.9 sent and what nbclient saved from them, by scripts/widget-fixtures.py),
 * both for ipywidgets' messages and for the messages stripes' own widgets send in the same
 * scenario; closed comms are dropped; Output widgets capture outputs by msg_id as a front end does.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WidgetStateCollector, WIDGET_STATE_MIME, type CommLikeMessage } from "../../src/jupyter/widgetState";
import { commManager } from "../../src/notebook/comms";
import * as widgets from "../../src/notebook/widgets";
import { liveWidgets } from "../../src/notebook/widgets/registry";
import { FakeTransport, type Sent } from "../helpers/fakeTransport";

const FIXTURE = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "widgets", "ipywidgets-messages.json"), "utf8"));
const SAVED = FIXTURE.scenarios.saved;

function asMessage(m: { msgType: string; content: unknown; buffers: (number[] | Uint8Array)[] }, parent = "cell-1"): CommLikeMessage {
  return { header: { msg_type: m.msgType }, parent_header: { msg_id: parent }, content: m.content, buffers: m.buffers.map((b) => Uint8Array.from(b)) };
}

const Saved = suite("widget state saved in the notebook");

Saved(`from ipywidgets' messages: the same metadata.widgets as nbclient ${FIXTURE.nbclient}`, () => {
  const c = new WidgetStateCollector();
  for (const m of SAVED.messages) assert.is(c.add(asMessage(m)), false);
  assert.equal(c.metadata(), SAVED.nbclientMetadata);
});

Saved("from stripes' widgets in the same scenario: the same metadata (ids renamed in order of opening)", () => {
  for (const w of [...liveWidgets().values()]) (w as widgets.Widget).close();
  const transport = new FakeTransport();
  commManager().attach(transport);
  try {
    const s = new widgets.IntSlider({ value: 3, description: "n" });
    s.value = 7;
    commManager().handle("comm_msg", { comm_id: s.modelId, data: { method: "update", state: { value: 5 }, buffer_paths: [] } }, []);
    const i = new widgets.Image({ value: new Uint8Array([137, 80, 78, 71]), format: "png" });
    i.value = new Uint8Array([1, 2, 3, 4, 5]);
    new widgets.HBox([s, i]);
  } finally {
    commManager().attach(undefined);
  }
  const c = new WidgetStateCollector();
  for (const m of transport.sent) c.add(asMessage(m));
  assert.equal(rename(c.metadata(), transport.sent), SAVED.nbclientMetadata);
  for (const w of [...liveWidgets().values()]) (w as widgets.Widget).close();
});

Saved("a closed comm is dropped; no widgets means no metadata", () => {
  const c = new WidgetStateCollector();
  assert.is(c.metadata(), undefined);
  const open = SAVED.messages.find((m: any) => m.content.data.state?._model_name === "IntSliderModel");
  c.add(asMessage(open));
  assert.equal(Object.keys(c.metadata()![WIDGET_STATE_MIME].state), [open.content.comm_id]);
  c.add({ header: { msg_type: "comm_close" }, content: { comm_id: open.content.comm_id, data: {} } });
  assert.is(c.metadata(), undefined);
});

Saved("custom messages and the control comm's update_states leave the state alone", () => {
  const c = new WidgetStateCollector();
  c.add({ header: { msg_type: "comm_msg" }, content: { comm_id: "b", data: { method: "custom", content: { event: "click" } } } });
  c.add({ header: { msg_type: "comm_msg" }, content: { comm_id: "ctl", data: { method: "update_states", states: { x: {} }, buffer_paths: [] } } });
  assert.is(c.metadata(), undefined);
});

Saved("an Output widget with msg_id set takes the outputs parented to it (streams merged, clear_output wait honoured)", () => {
  const c = new WidgetStateCollector();
  const state = { _model_name: "OutputModel", _model_module: "@jupyter-widgets/output", _model_module_version: "1.0.0", msg_id: "", outputs: [] };
  c.add({ header: { msg_type: "comm_open" }, content: { comm_id: "out", target_name: "jupyter.widget", data: { state, buffer_paths: [] } } });
  const stream = (text: string, parent: string): CommLikeMessage => ({ header: { msg_type: "stream" }, parent_header: { msg_id: parent }, content: { name: "stdout", text } });
  assert.is(c.add(stream("not captured\n", "req")), false); // msg_id not set yet
  c.add({ header: { msg_type: "comm_msg" }, content: { comm_id: "out", data: { method: "update", state: { msg_id: "req" }, buffer_paths: [] } } });
  assert.is(c.add(stream("a\n", "req")), true);
  assert.is(c.add(stream("b\n", "req")), true);
  assert.is(c.add(stream("other\n", "req-2")), false);
  const outputs = () => c.metadata()![WIDGET_STATE_MIME].state.out.state.outputs;
  assert.equal(outputs(), [{ output_type: "stream", name: "stdout", text: "a\nb\n" }]);
  assert.is(c.add({ header: { msg_type: "clear_output" }, parent_header: { msg_id: "req" }, content: { wait: true } }), true);
  assert.equal(outputs(), [{ output_type: "stream", name: "stdout", text: "a\nb\n" }]); // kept until the next output
  c.add({ header: { msg_type: "display_data" }, parent_header: { msg_id: "req" }, content: { data: { "text/plain": "7" }, metadata: {} } });
  assert.equal(outputs(), [{ output_type: "display_data", data: { "text/plain": "7" }, metadata: {} }]);
  c.add({ header: { msg_type: "comm_msg" }, content: { comm_id: "out", data: { method: "update", state: { msg_id: "" }, buffer_paths: [] } } });
  assert.is(c.add(stream("after\n", "req")), false);
});

/** Renames comm ids (keys and IPY_MODEL_ references) to ID0, ID1, … in order of opening. */
function rename(value: unknown, sent: Sent[]): unknown {
  const names = new Map<string, string>();
  for (const m of sent) if (!names.has(m.content.comm_id)) names.set(m.content.comm_id, `ID${names.size}`);
  return JSON.parse(JSON.stringify(value), function (this: unknown, _k, v) {
    if (typeof v === "string" && v.startsWith("IPY_MODEL_")) return "IPY_MODEL_" + (names.get(v.slice(10)) ?? v.slice(10));
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [names.get(k) ?? k, x]));
    }
    return v;
  });
}

Saved.run();
