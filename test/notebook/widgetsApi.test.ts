/**
 * The learner's side of widgets: typed properties, observe with {name, old, new, owner},
 * onClick, the display bundle, Output.capture by the current request's msg_id, interact,
 * close, one-line WidgetErrors, local use without a kernel, and the protocol corners the
 * fixture scenarios do not reach (incoming Image bytes, JUPYTER_WIDGETS_ECHO=0, an observer
 * that throws, the control comm with no widgets).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { inspect } from "node:util";
import { commManager } from "../../src/notebook/comms";
import { setCurrentParent } from "../../src/notebook/parent";
import * as widgets from "../../src/notebook/widgets";
import { liveWidgets, registerWidgetTargets } from "../../src/notebook/widgets/registry";
import { FakeTransport } from "../helpers/fakeTransport";

const transport = new FakeTransport();

function fresh(): void {
  for (const w of [...liveWidgets().values()]) (w as widgets.Widget).close();
  commManager().attach(transport);
  transport.clear();
}

function frontend(w: widgets.Widget, data: object, buffers: Uint8Array[] = []): void {
  commManager().handle("comm_msg", { comm_id: w.modelId, data }, buffers);
}

/** The comm_msg data sent for one widget, in order. */
function sentTo(w: widgets.Widget): any[] {
  return transport.sent.filter((m) => m.msgType === "comm_msg" && m.content.comm_id === w.modelId).map((m) => m.content.data);
}

const Api = suite("widgets: the learner's API");
Api.before.each(fresh);
Api.after(() => commManager().attach(undefined));

Api("a widget displays as the widget-view MIME bundle naming its model id, version 2.0", () => {
  const s = new widgets.IntSlider({ value: 3 });
  const bundle = (s as any)[Symbol.for("Jupyter.display")]();
  assert.equal(bundle, {
    "text/plain": "IntSlider(value=3)",
    "application/vnd.jupyter.widget-view+json": { version_major: 2, version_minor: 0, model_id: s.modelId },
  });
  assert.is(inspect(s), "IntSlider(value=3)");
});

Api("observe gets {name, old, new, owner}, for the named property only; unobserve stops it", () => {
  const s = new widgets.IntSlider({ value: 3, max: 10 });
  const seen: unknown[] = [];
  const cb = (c: widgets.Change) => seen.push([c.name, c.old, c.new, c.owner === s]);
  s.observe(cb, "value");
  s.max = 20; // not observed
  s.value = 5;
  s.value = 5; // unchanged: no callback, no message
  frontend(s, { method: "update", state: { value: 8 }, buffer_paths: [] });
  s.unobserve(cb);
  s.value = 9;
  assert.equal(seen, [["value", 3, 5, true], ["value", 5, 8, true]]);
  assert.equal(sentTo(s).map((d) => [d.method, d.state]), [["update", { max: 20 }], ["update", { value: 5 }], ["echo_update", { value: 8 }], ["update", { value: 9 }]]);
});

Api("observe with no names hears every property, by its camelCase name", () => {
  const s = new widgets.FloatSlider();
  const names: string[] = [];
  s.observe((c) => names.push(c.name));
  s.continuousUpdate = false;
  s.readoutFormat = ".1f";
  assert.equal(names, ["continuousUpdate", "readoutFormat"]);
  assert.equal(sentTo(s).map((d) => d.state), [{ continuous_update: false }, { readout_format: ".1f" }]);
});

Api("an observer that sets the value the front end just sent sends nothing back; a different one is sent", () => {
  const s = new widgets.IntSlider({ value: 0, max: 100 });
  s.observe(({ new: v }) => {
    s.value = v - (v % 10); // snap to tens
  }, "value");
  frontend(s, { method: "update", state: { value: 30 }, buffer_paths: [] });
  frontend(s, { method: "update", state: { value: 47 }, buffer_paths: [] });
  assert.is(s.value, 40);
  assert.equal(sentTo(s).map((d) => [d.method, d.state]), [["echo_update", { value: 30 }], ["echo_update", { value: 47 }], ["update", { value: 40 }]]);
});

/** Runs `f` and returns what it printed on stderr (console.error), one string per call. */
function stderrOf(f: () => void): string[] {
  const lines: string[] = [];
  const error = console.error;
  console.error = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    f();
  } finally {
    console.error = error;
  }
  return lines;
}

Api("an observer that throws on a page's change: one line on stderr, the value kept, the next update works", () => {
  const s = new widgets.IntSlider({ value: 1 });
  let calls = 0;
  s.observe(() => {
    calls++;
    if (calls === 1) throw new RangeError("oops\nsecond line");
  }, "value");
  const printed = stderrOf(() => frontend(s, { method: "update", state: { value: 2 }, buffer_paths: [] }));
  assert.equal(printed, ["IntSlider(value=2): RangeError: oops second line"]);
  assert.is(s.value, 2);
  frontend(s, { method: "update", state: { value: 2 }, buffer_paths: [] }); // equal: no change, no callback
  s.value = 3;
  assert.is(calls, 2);
  assert.equal(sentTo(s).at(-1), { method: "update", state: { value: 3 }, buffer_paths: [] });
});

Api("an observer that throws on a change made by code: thrown to that code, after the others ran", () => {
  const s = new widgets.IntSlider({ value: 1 });
  let second = 0;
  s.observe(() => {
    throw new Error("from code");
  });
  s.observe(() => void second++);
  assert.throws(() => (s.value = 4), /from code/);
  assert.equal([s.value, second], [4, 1]);
});

Api("Output.capture in a kernel: an error is printed as one line while capturing, not rethrown; outside, it is thrown", async () => {
  const out = new widgets.Output();
  assert.throws(() => out.capture(() => { throw new Error("outside"); }), /outside/);
  setCurrentParent({ msg_id: "req-9" });
  try {
    const printed = stderrOf(() => assert.is(out.capture(() => { throw new TypeError("bad"); }), undefined));
    assert.equal(printed, ["TypeError: bad"]);
    const lines: string[] = [];
    const error = console.error;
    console.error = (...a: unknown[]) => void lines.push(`${a.join(" ")} (msg_id ${out.msgId})`);
    try {
      await out.capture(async () => { throw new Error("later"); });
    } finally {
      console.error = error;
    }
    assert.equal(lines, ["Error: later (msg_id req-9)"]); // printed while still capturing
  } finally {
    setCurrentParent(undefined);
  }
  assert.is(out.msgId, "");
});

Api("JUPYTER_WIDGETS_ECHO=0 turns echo_update off, as in ipywidgets", () => {
  const s = new widgets.IntSlider();
  process.env.JUPYTER_WIDGETS_ECHO = "0";
  try {
    frontend(s, { method: "update", state: { value: 4 }, buffer_paths: [] });
  } finally {
    delete process.env.JUPYTER_WIDGETS_ECHO;
  }
  assert.is(s.value, 4);
  assert.equal(sentTo(s), []);
});

Api("Button: onClick callbacks run on the front end's click, and on click() from code", () => {
  const b = new widgets.Button({ description: "step" });
  const clicks: string[] = [];
  b.onClick((btn) => clicks.push(`a:${btn.description}`));
  b.onClick(() => clicks.push("b"));
  frontend(b, { method: "custom", content: { event: "click" } });
  frontend(b, { method: "custom", content: { event: "something else" } });
  b.click();
  assert.equal(clicks, ["a:step", "b", "a:step", "b"]);
  assert.equal(sentTo(b), []); // a click is not state: nothing goes back
});

Api("Image: bytes from the front end arrive through buffer_paths; Uint8Array required", () => {
  const img = new widgets.Image({ value: new Uint8Array([1]) });
  frontend(img, { method: "update", state: {}, buffer_paths: [["value"]] }, [new Uint8Array([9, 8, 7])]);
  assert.equal(Array.from(img.value), [9, 8, 7]);
  const echo = transport.sent.at(-1)!;
  assert.equal(echo.content.data, { method: "echo_update", state: {}, buffer_paths: [["value"]] });
  assert.equal(Array.from(echo.buffers[0]), [9, 8, 7]);
  assert.throws(() => ((img as any).value = "not bytes"), (e: Error) => e instanceof widgets.WidgetError && /Uint8Array/.test(e.message));
});

Api("Dropdown: value, label and index agree; a value not among the options is a one-line WidgetError", () => {
  const d = new widgets.Dropdown({ options: [["small", 8], ["large", 64]], value: 64 });
  assert.equal([d.index, d.value, d.label], [1, 64, "large"]);
  d.index = 0;
  assert.equal([d.value, d.label], [8, "small"]);
  assert.throws(() => (d.value = 7), (e: Error) => e instanceof widgets.WidgetError && e.message === "Dropdown(value=8): value 7 is not one of the options (small, large)");
  assert.throws(() => new widgets.Dropdown({ options: ["a"], value: "b" }), /Dropdown: value "b" is not one of the options \(a\)/);
  const seen: unknown[] = [];
  d.observe((c) => seen.push([c.name, c.old, c.new]));
  d.options = ["x", "y"];
  assert.equal([d.value, d.label, d.index], ["x", "x", 0]);
  assert.equal(seen, [["value", 8, "x"], ["label", "small", "x"]]);
  assert.equal(sentTo(d).at(-1).state, { _options_labels: ["x", "y"] });
});

Api("sliders clamp values into range and refuse min above max, in one line", () => {
  const s = new widgets.IntSlider({ value: 50, max: 10 });
  assert.is(s.value, 10);
  s.value = 3.9;
  assert.is(s.value, 3); // truncated like ipywidgets' CInt
  s.min = 5; // drags the value along
  assert.is(s.value, 5);
  assert.throws(() => (s.min = 20), (e: Error) => e instanceof widgets.WidgetError && e.message === "IntSlider: min 20 is above max 10");
  assert.throws(() => new widgets.FloatSlider({ min: 2, max: 1 }), /^FloatSlider: min 2 is above max 1$/);
  const lr = new widgets.FloatLogSlider({ value: 1e-3, min: -5, max: -2 });
  lr.value = 1;
  assert.is(lr.value, 0.01); // clamped to base ** max
});

Api("setting a property the widget does not have is a WidgetError", () => {
  const style = new widgets.IntSlider().style;
  style.handleColor = "teal";
  assert.throws(() => (style.buttonColor = "red"), /no settable property 'buttonColor'/);
});

Api("Output.capture sets msg_id to the current request's, then back to ''; without a kernel it just runs", async () => {
  const out = new widgets.Output();
  assert.is(out.capture(() => 42), 42); // no current parent: nothing sent
  assert.equal(sentTo(out), []);
  setCurrentParent({ msg_id: "req-1", msg_type: "execute_request" });
  try {
    out.capture(() => out.capture(() => undefined)); // nested: one set, one reset
    const done = out.capture(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return "later";
    });
    assert.is(out.msgId, "req-1"); // still capturing while the promise runs
    assert.is(await done, "later");
  } finally {
    setCurrentParent(undefined);
  }
  assert.equal(sentTo(out).map((d) => d.state), [{ msg_id: "req-1" }, { msg_id: "" }, { msg_id: "req-1" }, { msg_id: "" }]);
  frontend(out, { method: "update", state: { outputs: [{ output_type: "stream", name: "stdout", text: "hi\n" }] }, buffer_paths: [] });
  assert.equal(out.outputs, [{ output_type: "stream", name: "stdout", text: "hi\n" }]);
  out.clear();
  assert.equal(sentTo(out).at(-1).state, { outputs: [] });
});

Api("interactive: controls and an Output in a VBox; fn runs at once and on each change, captured, cleared first", () => {
  setCurrentParent({ msg_id: "cell-7" });
  const n = new widgets.IntSlider({ value: 2 });
  const act = new widgets.Dropdown({ options: ["relu", "tanh"] });
  const calls: unknown[] = [];
  let box: widgets.VBox;
  try {
    box = widgets.interactive((v) => void calls.push(v), { n, act });
  } finally {
    setCurrentParent(undefined);
  }
  const out = box.children[2] as widgets.Output;
  assert.equal(box.children.slice(0, 2), [n, act]);
  assert.ok(out instanceof widgets.Output);
  assert.equal(calls, [{ n: 2, act: "relu" }]);
  assert.equal(sentTo(out).map((d) => d.state), [{ msg_id: "cell-7" }, { msg_id: "" }]); // outputs already [] so no clear sent
  setCurrentParent({ msg_id: "comm-msg-1" }); // a drag arrives as a comm_msg request
  try {
    frontend(n, { method: "update", state: { value: 5 }, buffer_paths: [] });
  } finally {
    setCurrentParent(undefined);
  }
  assert.equal(calls, [{ n: 2, act: "relu" }, { n: 5, act: "relu" }]);
  assert.equal(sentTo(out).slice(2).map((d) => d.state), [{ msg_id: "comm-msg-1" }, { msg_id: "" }]);
});

Api("interactive: an error in fn is printed as one line (inside the capture) and the controls keep working", () => {
  const n = new widgets.IntSlider({ value: 1 });
  const errors = stderrOf(() => {
    widgets.interactive(({ n: v }) => {
      if (v > 1) throw new RangeError("too big");
    }, { n });
    n.value = 2;
    n.value = 1;
  });
  assert.equal(errors, ["RangeError: too big"]);
});

Api("close sends comm_close, drops the view bundle and the control listing; a closed widget stays usable locally", () => {
  const s = new widgets.IntSlider();
  s.close();
  s.close();
  assert.equal(transport.sent.filter((m) => m.msgType === "comm_close").map((m) => m.content.comm_id), [s.modelId]);
  assert.equal(Object.keys((s as any)[Symbol.for("Jupyter.display")]()), ["text/plain"]);
  assert.not.ok(liveWidgets().has(s.modelId));
  const n = transport.sent.length;
  s.value = 4;
  assert.is(s.value, 4);
  assert.is(transport.sent.length, n);
});

Api("a comm_close from the front end closes the widget", () => {
  const s = new widgets.IntSlider();
  commManager().handle("comm_close", { comm_id: s.modelId, data: {} }, []);
  assert.is(s.isClosed, true);
  assert.not.ok(liveWidgets().has(s.modelId));
});

Api("the control target answers request_states with no widgets as update_states {states: {}}", () => {
  registerWidgetTargets();
  commManager().handle("comm_open", { comm_id: "ctl", target_name: "jupyter.widget.control", data: {} }, []);
  commManager().handle("comm_msg", { comm_id: "ctl", data: { method: "request_states" } }, []);
  commManager().handle("comm_close", { comm_id: "ctl", data: {} }, []);
  assert.equal(transport.sent.map((m) => [m.msgType, m.content]), [["comm_msg", { comm_id: "ctl", data: { method: "update_states", states: {}, buffer_paths: [] } }]]);
});

Api("without a kernel attached, widgets work locally and send nothing", () => {
  commManager().attach(undefined);
  const s = new widgets.IntSlider({ value: 1 });
  const seen: number[] = [];
  s.observe(({ new: v }) => seen.push(v), "value");
  s.value = 6;
  assert.equal(seen, [6]);
  assert.equal(transport.sent, []);
});

Api("layout options reach the Layout model; HBox refuses children that are not widgets", () => {
  const s = new widgets.IntSlider({ layout: { width: "400px" } });
  assert.is(s.layout.width, "400px");
  assert.is(s.layout.getState().width, "400px");
  assert.throws(() => new widgets.HBox([s, 3 as any]), /HBox: children must be an array of widgets/);
});

Api.run();
