/**
 * The comm round trip through the real stripes kernel (dist/kernel/main.js, built by `npm test`),
 * driven by the project's own client as a front end would: a cell opens a slider (Layout, Style,
 * IntSlider comm_opens, then the widget-view execute_result); a comm_msg update from the client
 * is echoed and reaches the cell's observe callback, which the next cell prints; a kernel-side
 * change reaches the client as comm_msg update; the control comm lists the widgets; an unknown
 * comm id is answered with comm_close; a Button click captured by an Output widget is parented
 * to the click's comm_msg. Every message's type, parent and content are checked; the count is
 * printed at the end.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kernel, stripesKernelArgv, type Message } from "../../src/jupyter/client";

const ROOT = path.join(__dirname, "..", "..");
let checkedMessages = 0;

const types = (msgs: Message[]) => msgs.map((m) => (m.header.msg_type === "status" ? `status:${m.content.execution_state}` : m.header.msg_type));

/** Sends a comm message (no reply comes: done at idle); its msg_id and the iopub messages parented to it. */
async function comm(k: Kernel, msgType: "comm_open" | "comm_msg" | "comm_close", content: object): Promise<{ iopub: Message[]; id: string }> {
  let id = "";
  const { iopub } = await k.request(msgType, content, { expectReply: false, onSent: (sent) => (id = sent) });
  return { iopub, id };
}

async function execute(k: Kernel, code: string): Promise<{ reply: Message; iopub: Message[]; id: string }> {
  let id = "";
  const r = await k.request("execute_request", Kernel.executeContent(code), { onSent: (sent) => (id = sent) });
  assert.is(r.reply.content.status, "ok", `cell failed: ${JSON.stringify(r.reply.content)}`);
  return { ...r, id };
}

const K = suite("widgets through the stripes kernel");
let k: Kernel;
let dir: string;
let sliderId = "";

K.before(async () => {
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-widgets-")); // under the repo: "stripes" resolves
  const { FORCE_COLOR: _, ...env } = process.env;
  k = await Kernel.start({ cwd: dir, env, argv: stripesKernelArgv() });
});

K.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`  comm round trip: ${checkedMessages} protocol messages checked`);
});

K("a cell that makes a slider: 3 comm_open (Layout, SliderStyle, IntSlider) parented to it, then the widget view", async () => {
  const { iopub, id } = await execute(
    k,
    'import { widgets } from "stripes";\n' +
      'const n = new widgets.IntSlider({ value: 3, min: 0, max: 10, description: "n" });\n' +
      "let seen: number[] = [];\n" +
      'n.observe(({ old, new: now }) => { seen.push(old, now); }, "value");\n' +
      "n",
  );
  assert.equal(types(iopub), ["status:busy", "execute_input", "comm_open", "comm_open", "comm_open", "execute_result", "status:idle"]);
  for (const m of iopub) assert.is(m.parent_header.msg_id, id);
  const opens = iopub.filter((m) => m.header.msg_type === "comm_open");
  assert.equal(opens.map((m) => m.content.data.state._model_name), ["LayoutModel", "SliderStyleModel", "IntSliderModel"]);
  for (const m of opens) {
    assert.is(m.content.target_name, "jupyter.widget");
    assert.equal(m.metadata, { version: "2.1.0" });
    assert.equal(m.content.data.buffer_paths, []);
  }
  const slider = opens[2].content;
  sliderId = slider.comm_id;
  assert.is(slider.data.state.value, 3);
  assert.is(slider.data.state.layout, `IPY_MODEL_${opens[0].content.comm_id}`);
  assert.is(slider.data.state.style, `IPY_MODEL_${opens[1].content.comm_id}`);
  const result = iopub.find((m) => m.header.msg_type === "execute_result")!;
  assert.equal(result.content.data["application/vnd.jupyter.widget-view+json"], { version_major: 2, version_minor: 0, model_id: sliderId });
  assert.is(result.content.data["text/plain"], "IntSlider(value=3)");
  checkedMessages += iopub.length;
});

K("a comm_msg update from the client: busy, echo_update, idle; the observe callback ran (the next cell prints it)", async () => {
  const { iopub } = await comm(k, "comm_msg", { comm_id: sliderId, data: { method: "update", state: { value: 7 }, buffer_paths: [] } });
  assert.equal(types(iopub), ["status:busy", "comm_msg", "status:idle"]);
  assert.equal(iopub[1].content, { comm_id: sliderId, data: { method: "echo_update", state: { value: 7 }, buffer_paths: [] } });
  const { iopub: out } = await execute(k, "console.log(`seen ${seen.join(' -> ')}, value ${n.value}`);");
  assert.equal(types(out), ["status:busy", "execute_input", "stream", "status:idle"]);
  assert.equal(out[2].content, { name: "stdout", text: "seen 3 -> 7, value 7\n" });
  checkedMessages += iopub.length + out.length;
});

K("a kernel-side change reaches the client as one comm_msg update, parented to the cell", async () => {
  const { iopub, id } = await execute(k, "n.value = 2;\nn.max = 5;\nundefined");
  assert.equal(types(iopub), ["status:busy", "execute_input", "comm_msg", "comm_msg", "status:idle"]);
  assert.equal(iopub.slice(2, 4).map((m) => [m.parent_header.msg_id, m.content]), [
    [id, { comm_id: sliderId, data: { method: "update", state: { value: 2 }, buffer_paths: [] } }],
    [id, { comm_id: sliderId, data: { method: "update", state: { max: 5 }, buffer_paths: [] } }],
  ]);
  checkedMessages += iopub.length;
});

K("a value out of range from the client is echoed, clamped, and sent back", async () => {
  const { iopub } = await comm(k, "comm_msg", { comm_id: sliderId, data: { method: "update", state: { value: 9 }, buffer_paths: [] } });
  assert.equal(types(iopub), ["status:busy", "comm_msg", "comm_msg", "status:idle"]);
  assert.equal(iopub.slice(1, 3).map((m) => m.content.data), [
    { method: "echo_update", state: { value: 9 }, buffer_paths: [] },
    { method: "update", state: { value: 5 }, buffer_paths: [] },
  ]);
  checkedMessages += iopub.length;
});

K("the control comm: request_states answers update_states with the slider's current state; comm_info lists the widgets", async () => {
  const { iopub: opened } = await comm(k, "comm_open", { comm_id: "control-1", target_name: "jupyter.widget.control", data: {} });
  assert.equal(types(opened), ["status:busy", "status:idle"]); // accepted: no comm_close
  const { iopub } = await comm(k, "comm_msg", { comm_id: "control-1", data: { method: "request_states" } });
  assert.equal(types(iopub), ["status:busy", "comm_msg", "status:idle"]);
  const data = iopub[1].content.data;
  assert.is(data.method, "update_states");
  assert.is(Object.keys(data.states).length, 3);
  assert.equal(data.states[sliderId].model_name, "IntSliderModel");
  assert.equal([data.states[sliderId].state.value, data.states[sliderId].state.max], [5, 5]);
  const { reply } = await k.request("comm_info_request", { target_name: "jupyter.widget" });
  assert.equal(Object.keys(reply.content.comms).sort(), Object.keys(data.states).sort());
  checkedMessages += opened.length + iopub.length + 1;
});

K("an unknown comm id or target is answered with comm_close", async () => {
  const { iopub: msg } = await comm(k, "comm_msg", { comm_id: "no-such-comm", data: { method: "update", state: {} } });
  assert.equal(types(msg), ["status:busy", "comm_close", "status:idle"]);
  assert.equal(msg[1].content, { comm_id: "no-such-comm", data: {} });
  const { iopub: open } = await comm(k, "comm_open", { comm_id: "x-1", target_name: "no.such.target", data: {} });
  assert.equal(types(open), ["status:busy", "comm_close", "status:idle"]);
  assert.equal(open[1].content, { comm_id: "x-1", data: {} });
  checkedMessages += msg.length + open.length;
});

K("an observe callback that throws on a drag: one stderr line parented to the comm_msg, the kernel carries on", async () => {
  const { iopub: made } = await execute(k, 'const bad = new widgets.IntSlider();\nbad.observe(() => { throw new Error("nope"); }, "value");\nundefined');
  const badId = made.find((m) => m.header.msg_type === "comm_open" && m.content.data.state._model_name === "IntSliderModel")!.content.comm_id;
  const { iopub, id } = await comm(k, "comm_msg", { comm_id: badId, data: { method: "update", state: { value: 1 }, buffer_paths: [] } });
  assert.equal(types(iopub), ["status:busy", "comm_msg", "stream", "status:idle"]);
  assert.equal(iopub[2].content, { name: "stderr", text: "IntSlider(value=1): Error: nope\n" });
  assert.is(iopub[2].parent_header.msg_id, id);
  const { iopub: after } = await execute(k, "console.log(bad.value)");
  assert.equal(after[2].content, { name: "stdout", text: "1\n" });
  checkedMessages += made.length + iopub.length + after.length;
});

K("a Button click (custom message) runs onClick; an Output captures its print by the click's msg_id", async () => {
  const { iopub } = await execute(
    k,
    "const out = new widgets.Output();\n" +
      'const b = new widgets.Button({ description: "go" });\n' +
      'b.onClick(() => out.capture(() => console.log("clicked", n.value)));\n' +
      "new widgets.HBox([b, out])",
  );
  const opens = iopub.filter((m) => m.header.msg_type === "comm_open").map((m) => m.content);
  const outId = opens.find((c) => c.data.state._model_name === "OutputModel").comm_id;
  const buttonId = opens.find((c) => c.data.state._model_name === "ButtonModel").comm_id;
  const { iopub: click, id: clickId } = await comm(k, "comm_msg", { comm_id: buttonId, data: { method: "custom", content: { event: "click" } } });
  assert.equal(types(click), ["status:busy", "comm_msg", "stream", "comm_msg", "status:idle"]);
  assert.equal(click[1].content, { comm_id: outId, data: { method: "update", state: { msg_id: clickId }, buffer_paths: [] } });
  assert.equal(click[2].content, { name: "stdout", text: "clicked 5\n" });
  assert.equal(click[3].content, { comm_id: outId, data: { method: "update", state: { msg_id: "" }, buffer_paths: [] } });
  checkedMessages += iopub.length + click.length;
});

K("display(w) sends the widget view; interact runs its function captured in its Output, then re-runs on a drag", async () => {
  const { iopub, id } = await execute(
    k,
    'import { display, interact } from "stripes";\n' +
      "display(n);\n" +
      'const k2 = new widgets.IntSlider({ value: 4, description: "k" });\n' +
      "interact(({ k }) => console.log(`twice ${k * 2}`), { k: k2 });",
  );
  const shown = iopub.filter((m) => m.header.msg_type === "display_data");
  assert.is(shown.length, 2); // n, then interact's VBox
  assert.equal(shown[0].content.data["application/vnd.jupyter.widget-view+json"].model_id, sliderId);
  const opens = iopub.filter((m) => m.header.msg_type === "comm_open").map((m) => m.content);
  const outId = opens.find((c) => c.data.state._model_name === "OutputModel").comm_id;
  const boxId = opens.find((c) => c.data.state._model_name === "VBoxModel").comm_id;
  const kId = opens.find((c) => c.data.state._model_name === "IntSliderModel").comm_id;
  assert.equal(shown[1].content.data["application/vnd.jupyter.widget-view+json"].model_id, boxId);
  const capture = iopub.filter((m) => (m.header.msg_type === "comm_msg" && m.content.comm_id === outId) || m.header.msg_type === "stream");
  assert.equal(capture.map((m) => m.content.data?.state ?? m.content.text), [{ msg_id: id }, "twice 8\n", { msg_id: "" }]);
  const { iopub: drag, id: dragId } = await comm(k, "comm_msg", { comm_id: kId, data: { method: "update", state: { value: 6 }, buffer_paths: [] } });
  assert.equal(types(drag), ["status:busy", "comm_msg", "comm_msg", "stream", "comm_msg", "status:idle"]);
  assert.equal(drag.slice(1, 5).map((m) => m.content.data?.method === "echo_update" ? "echo" : (m.content.data?.state ?? m.content.text)), ["echo", { msg_id: dragId }, "twice 12\n", { msg_id: "" }]);
  checkedMessages += iopub.length + drag.length;
});

K.run();
