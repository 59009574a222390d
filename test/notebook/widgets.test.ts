/**
 * Widgets send what ipywidgets 8.1 sends. test/fixtures/widgets/ipywidgets-messages.json holds the
 * comm messages real ipywidgets 8.1.9 publishes for twelve scenarios (scripts/widget-fixtures.py:
 * a slider set from code and from the front end, echo_update, a clamped value sent back,
 * request_state, Dropdown/ToggleButtons by index, a Button click, Image bytes as a buffer, boxes,
 * the control comm's update_states…). Each test runs the same scenario on stripes' widgets with a
 * fake transport and compares message for message (comm ids renamed ID0, ID1… in order of first
 * appearance, as the script does), and the observe events with old/new values.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commManager } from "../../src/notebook/comms";
import * as widgets from "../../src/notebook/widgets";
import { liveWidgets } from "../../src/notebook/widgets/registry";
import { FakeTransport, type Sent } from "../helpers/fakeTransport";

const FIXTURE = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "widgets", "ipywidgets-messages.json"), "utf8"));
type Expected = { messages: unknown[]; events: unknown[] };

const transport = new FakeTransport();

/** Renames ids as scripts/widget-fixtures.py does: by first appearance, depth first. */
function normalize(sent: Sent[]): unknown[] {
  const names = new Map<string, string>();
  const name = (id: string) => {
    if (!names.has(id)) names.set(id, `ID${names.size}`);
    return names.get(id)!;
  };
  const isId = (s: string) => /^[0-9a-f]{32}$/.test(s);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [isId(k) ? name(k) : k, walk(x)]));
    }
    if (typeof v === "string" && v.startsWith("IPY_MODEL_")) return "IPY_MODEL_" + name(v.slice(10));
    if (typeof v === "string" && isId(v)) return name(v);
    return v;
  };
  return sent.map((m) => {
    name(m.content.comm_id);
    return walk({ msgType: m.msgType, content: m.content, metadata: m.metadata, buffers: m.buffers.map((b) => Array.from(b)) });
  });
}

/** Names the ids in events like the comm ids of the messages. */
function renameEvents(events: unknown[], sent: Sent[]): unknown[] {
  const names = new Map<string, string>();
  for (const m of sent) if (!names.has(m.content.comm_id)) names.set(m.content.comm_id, `ID${names.size}`);
  return JSON.parse(JSON.stringify(events), (_k, v) => (typeof v === "string" && names.has(v) ? names.get(v) : v));
}

/** Runs a scenario with a clean slate; returns what was sent and the events recorded. */
function scenario(run: (events: unknown[]) => void): { messages: unknown[]; events: unknown[]; sent: Sent[] } {
  for (const w of [...liveWidgets().values()]) (w as widgets.Widget).close();
  commManager().attach(transport);
  transport.clear();
  const events: unknown[] = [];
  try {
    run(events);
  } finally {
    commManager().attach(undefined);
  }
  const sent = [...transport.sent];
  const result = { messages: normalize(sent), events: renameEvents(events, sent), sent };
  for (const w of [...liveWidgets().values()]) (w as widgets.Widget).close();
  return result;
}

/** A comm_msg from the front end, as the kernel's shell dispatch delivers it. */
function frontend(w: widgets.Widget, data: object, buffers: Uint8Array[] = []): void {
  commManager().handle("comm_msg", { comm_id: w.modelId, data }, buffers);
}

const change = (c: widgets.Change) => ({ name: c.name, old: c.old, new: c.new });

function matches(name: string, got: { messages: unknown[]; events: unknown[] }): void {
  const want = FIXTURE.scenarios[name] as Expected;
  assert.is(got.messages.length, want.messages.length, `${name}: ${got.messages.length} messages, ipywidgets sends ${want.messages.length}`);
  got.messages.forEach((m, i) => assert.equal(m, want.messages[i], `${name}: message ${i + 1}`));
  assert.equal(got.events, want.events, `${name}: events`);
}

const Same = suite(`widgets send ipywidgets ${FIXTURE.ipywidgets}'s messages`);

Same("IntSlider: layout, style, slider opened; set → update; front-end update → echo_update only; 50 → echo and update 10; request_state → full update", () => {
  const got = scenario((ev) => {
    const s = new widgets.IntSlider({ value: 3, min: 0, max: 10, step: 1, description: "n" });
    s.observe((c) => ev.push(change(c)), "value");
    s.value = 7;
    frontend(s, { method: "update", state: { value: 5 }, buffer_paths: [] });
    frontend(s, { method: "update", state: { value: 50 }, buffer_paths: [] });
    frontend(s, { method: "request_state" });
    ev.push({ value: s.value });
  });
  matches("intSlider", got);
  // the brief's checks, spelled out: 3 comm_open then 5 comm_msg, all on target jupyter.widget
  assert.equal(got.sent.map((m) => m.msgType), ["comm_open", "comm_open", "comm_open", "comm_msg", "comm_msg", "comm_msg", "comm_msg", "comm_msg"]);
  assert.equal(got.sent.slice(0, 3).map((m) => m.content.data.state._model_name), ["LayoutModel", "SliderStyleModel", "IntSliderModel"]);
  for (const m of got.sent.slice(0, 3)) {
    assert.equal(Object.keys(m.content.data).sort(), ["buffer_paths", "state"]);
    assert.equal(m.metadata, { version: "2.1.0" });
    assert.is(m.content.target_name, "jupyter.widget");
  }
  assert.equal(got.sent.slice(3).map((m) => m.content.data.method), ["update", "echo_update", "echo_update", "update", "update"]);
});

Same("FloatSlider and FloatLogSlider (min/max exponents of base)", () => {
  matches("floatSliders", scenario((ev) => {
    const f = new widgets.FloatSlider({ value: 0.5, min: 0, max: 1, step: 0.1, description: "x" });
    const g = new widgets.FloatLogSlider({ value: 10, base: 10, min: -1, max: 3, step: 0.2, description: "lr" });
    g.value = 100;
    ev.push({ f: f.value, g: g.value });
  }));
});

Same("Dropdown: [label, value] options; front-end index → value observers; value set → index update", () => {
  matches("dropdown", scenario((ev) => {
    const d = new widgets.Dropdown({ options: [["one", 1], ["two", 2], ["three", 3]], value: 2, description: "k" });
    d.observe((c) => ev.push(change(c)), "value");
    frontend(d, { method: "update", state: { index: 0 }, buffer_paths: [] });
    d.value = 3;
    const e = new widgets.Dropdown({ options: ["a", "b"] });
    ev.push({ d: d.value, d_label: d.label, e: e.value, e_index: e.index });
  }));
});

Same("ToggleButtons", () => {
  matches("toggleButtons", scenario((ev) => {
    const t = new widgets.ToggleButtons({ options: ["slow", "fast"], value: "fast", description: "speed" });
    t.observe((c) => ev.push(change(c)), "value");
    frontend(t, { method: "update", state: { index: 0 }, buffer_paths: [] });
  }));
});

Same("Checkbox", () => {
  matches("checkbox", scenario((ev) => {
    const c = new widgets.Checkbox({ value: false, description: "show" });
    c.observe((ch) => ev.push(change(ch)), "value");
    frontend(c, { method: "update", state: { value: true }, buffer_paths: [] });
  }));
});

Same("Button: custom {event: click} → onClick; description set → update", () => {
  matches("button", scenario((ev) => {
    const b = new widgets.Button({ description: "go" });
    b.onClick((btn) => ev.push({ clicked: btn.modelId }));
    frontend(b, { method: "custom", content: { event: "click" } });
    b.description = "again";
  }));
});

Same("Play", () => {
  matches("play", scenario((ev) => {
    const p = new widgets.Play({ value: 0, min: 0, max: 20, step: 1, interval: 200, description: "t" });
    p.observe((c) => ev.push(change(c)), "value");
    frontend(p, { method: "update", state: { value: 1 }, buffer_paths: [] });
  }));
});

Same("Label and HTML", () => {
  matches("textWidgets", scenario(() => {
    new widgets.Label({ value: "hello" });
    const h = new widgets.HTML({ value: "<b>hi</b>" });
    h.value = "<i>bye</i>";
  }));
});

Same("Image: bytes as a buffer at path [value], in comm_open and in update", () => {
  const got = scenario(() => {
    const i = new widgets.Image({ value: new Uint8Array([137, 80, 78, 71]), format: "png", width: 64 });
    i.value = new Uint8Array([1, 2, 3]);
  });
  matches("image", got);
  assert.equal(got.sent[1].content.data.buffer_paths, [["value"]]);
  assert.not.ok("value" in got.sent[1].content.data.state);
});

Same("Output", () => {
  matches("output", scenario(() => void new widgets.Output()));
});

Same("HBox and VBox: children opened first, referenced as IPY_MODEL_<id>", () => {
  matches("boxes", scenario(() => {
    const a = new widgets.IntSlider({ value: 1 });
    const b = new widgets.Label({ value: "x" });
    const h = new widgets.HBox([a, b]);
    new widgets.VBox([h]);
  }));
});

Same("control comm: request_states → one update_states with every widget, buffer paths under the id", () => {
  const got = scenario((ev) => {
    const s = new widgets.IntSlider({ value: 4, max: 9 });
    new widgets.Image({ value: new Uint8Array([5, 6]), format: "png" });
    transport.clear(); // only the control comm's messages
    commManager().handle("comm_open", { comm_id: "c0ffee00c0ffee00c0ffee00c0ffee00", target_name: "jupyter.widget.control", data: {} }, []);
    commManager().handle("comm_msg", { comm_id: "c0ffee00c0ffee00c0ffee00c0ffee00", data: { method: "request_states" } }, []);
    ev.push({ slider: s.modelId });
    commManager().handle("comm_close", { comm_id: "c0ffee00c0ffee00c0ffee00c0ffee00", data: {} }, []);
  });
  // the events' slider id is named after the messages, as in the script
  const names = new Map<string, string>();
  const name = (id: string) => (names.has(id) ? names.get(id)! : (names.set(id, `ID${names.size}`), names.get(id)!));
  name(got.sent[0].content.comm_id);
  for (const id of Object.keys(got.sent[0].content.data.states)) name(id);
  const want = FIXTURE.scenarios.control as Expected;
  assert.equal(got.messages, want.messages);
  assert.equal([{ slider: name((got.events[0] as { slider: string }).slider) }], want.events);
});

Same.run();
