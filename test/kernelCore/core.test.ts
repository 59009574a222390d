/**
 * The kernel core (src/kernelCore/) driven in this process, with no kernel process, sockets or
 * compiler: a fake CellRunner whose cells are scripted and a fake Transport that records every
 * reply and iopub message. Expected orders and fields are Jupyter's messaging spec 5.3 (busy,
 * execute_input, outputs, the reply, idle; aborted replies under stop_on_error; no busy/idle on
 * control) and docs/kernel.md's rules.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Message } from "../../src/protocol/message";
import { KernelCore, type KernelCoreOptions } from "../../src/kernelCore/core";
import type { CellRunner, RunResult } from "../../src/kernelCore/cellRunner";
import { interruptContent } from "../../src/kernelCore/cellError";
import { kernelInfoContent } from "../../src/kernelCore/kernelInfo";
import type { Incoming, Transport } from "../../src/kernelCore/transport";
import { commManager } from "../../src/notebook/comms";
import { display } from "../../src/notebook/display";
import { currentParent } from "../../src/notebook/parent";
import { KERNEL_SINK } from "../../src/notebook/slots";

/** One message the core sent: a reply on a channel, or an iopub message. */
interface Sent {
  on: "shell" | "control" | "iopub";
  msgType: string;
  content: any;
  parent: string | undefined;
}

class FakeTransport implements Transport {
  readonly sent: Sent[] = [];
  reply(request: Incoming, msgType: string, content: object): void {
    this.sent.push({ on: request.channel, msgType, content, parent: request.msg.header.msg_id });
  }
  publish(parent: Message | undefined, msgType: string, content: object): void {
    this.sent.push({ on: "iopub", msgType, content, parent: parent?.header.msg_id });
  }
  /** `type` or `type:execution_state` for status, in order. */
  trace(): string[] {
    return this.sent.map((s) => (s.msgType === "status" ? `${s.parent}:${s.content.execution_state}` : `${s.parent}:${s.msgType}`));
  }
}

/** A cell the fake runner knows: what it returns, and optionally a promise it waits on first. */
type Script = Record<string, RunResult | (() => Promise<RunResult>)>;

class FakeRunner implements CellRunner {
  readonly ran: string[] = [];
  interrupts = 0;
  freed: unknown[] = [];
  private stop: (() => void) | undefined;
  constructor(private readonly script: Script) {}
  async execute(code: string): Promise<RunResult> {
    this.ran.push(code);
    const r = this.script[code];
    if (r === undefined) return { status: "ok", hasValue: false };
    if (typeof r !== "function") return r;
    // Runs until the script's promise settles or an interrupt comes, as an awaiting cell does.
    return Promise.race([r(), new Promise<RunResult>((resolve) => (this.stop = () => resolve({ status: "error", error: interruptContent() })))]);
  }
  interrupt(): void {
    this.interrupts++;
    this.stop?.();
  }
  isComplete(code: string) {
    return code.endsWith("{") ? { status: "incomplete" as const, indent: "  " } : { status: "complete" as const };
  }
  complete(code: string, cursor: number) {
    return { cursor_start: cursor - 2, cursor_end: cursor, matches: [`${code.slice(cursor - 2, cursor)}Done`] };
  }
  inspect(code: string): string | undefined {
    return code === "x" ? "const x: number" : undefined;
  }
  freeUnheld(value?: unknown): number {
    this.freed.push(value);
    return 0;
  }
}

let nextId = 0;
function request(channel: "shell" | "control", msgType: string, content: object, arrived = 0): Incoming {
  const id = `m${++nextId}`;
  const msg: Message = {
    header: { msg_id: id, session: "s", username: "u", date: "", msg_type: msgType, version: "5.3" },
    parent_header: {},
    metadata: {},
    content,
  };
  return { channel, msg, arrived };
}
const exec = (code: string, extra: object = {}, arrived = 0) => request("shell", "execute_request", { code, silent: false, store_history: true, stop_on_error: true, ...extra }, arrived);

/** Resolves when the core has nothing left to do for now (every queued promise settled). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function makeCore(script: Script = {}, extra: Partial<KernelCoreOptions> = {}) {
  const transport = new FakeTransport();
  const runner = new FakeRunner(script);
  const logs: string[] = [];
  const shutdowns: boolean[] = [];
  let now = 0;
  const core = new KernelCore({
    runner,
    transport,
    kernelInfo: kernelInfoContent({ version: "9.9.9", js: false, languageVersion: "5.0.4", banner: "a banner" }),
    log: (t) => logs.push(t),
    onShutdown: (restart) => shutdowns.push(restart),
    clock: { now: () => now },
    ...extra,
  });
  return { core, transport, runner, logs, shutdowns, setNow: (t: number) => (now = t) };
}

const E = suite("execute_request");

E("ok with a value: busy, execute_input, execute_result, reply ok, idle, in that order", async () => {
  const { core, transport, runner } = makeCore({ "1 + 1": { status: "ok", value: 2, hasValue: true } });
  core.start();
  const r = exec("1 + 1");
  core.receive(r);
  await settle();
  const id = r.msg.header.msg_id;
  assert.equal(transport.trace(), [`${id}:busy`, `${id}:execute_input`, `${id}:execute_result`, `${id}:execute_reply`, `${id}:idle`]);
  assert.equal(transport.sent[1].content, { code: "1 + 1", execution_count: 1 });
  assert.equal(transport.sent[2].content, { execution_count: 1, data: { "text/plain": "2" }, metadata: {} });
  assert.equal(transport.sent[3], { on: "shell", msgType: "execute_reply", parent: id, content: { status: "ok", execution_count: 1, user_expressions: {}, payload: [] } });
  assert.equal(runner.freed, [2], "the shown value is offered to freeUnheld");
});

E("error: the error message on iopub and the reply carry ename, evalue, traceback; status error", async () => {
  const error = { ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at cell 1, line 1"] };
  const { core, transport } = makeCore({ "x()": { status: "error", error } });
  core.start();
  core.receive(exec("x()"));
  await settle();
  assert.equal(transport.sent.map((s) => s.msgType), ["status", "execute_input", "error", "execute_reply", "status"]);
  assert.equal(transport.sent[2].content, error);
  assert.equal(transport.sent[3].content, { status: "error", execution_count: 1, ...error });
});

E("silent runs count nothing and publish no execute_input or result; store_history false does not count", async () => {
  const { core, transport } = makeCore({ v: { status: "ok", value: 7, hasValue: true } });
  core.start();
  core.receive(exec("v", { silent: true }));
  core.receive(exec("v", { store_history: false }));
  core.receive(exec("v"));
  await settle();
  const replies = transport.sent.filter((s) => s.msgType === "execute_reply").map((s) => s.content.execution_count);
  assert.equal(replies, [0, 0, 1]);
  assert.is(transport.sent.filter((s) => s.msgType === "execute_input").length, 2);
  assert.is(transport.sent.filter((s) => s.msgType === "execute_result").length, 2);
});

E("stop_on_error: execute_requests that arrived before the failure get busy, {status: aborted}, idle and do not run", async () => {
  const error = { ename: "Error", evalue: "no", traceback: ["Error: no"] };
  const { core, transport, runner, setNow } = makeCore({ bad: { status: "error", error } });
  const queued = [exec("bad", {}, 1), exec("a", {}, 2), exec("b", {}, 3)];
  for (const q of queued) core.receive(q); // before start: all three wait
  setNow(10);
  core.start();
  await settle();
  core.receive(exec("later", {}, 11)); // arrived after the failure: runs
  await settle();
  assert.equal(runner.ran, ["bad", "later"]);
  for (const q of queued.slice(1)) {
    const id = q.msg.header.msg_id;
    assert.equal(transport.trace().filter((t) => t.startsWith(`${id}:`)), [`${id}:busy`, `${id}:execute_reply`, `${id}:idle`]);
    assert.equal(transport.sent.find((s) => s.parent === id && s.msgType === "execute_reply")!.content, { status: "aborted" });
  }
});

E("stop_on_error false: the next queued cell runs", async () => {
  const error = { ename: "Error", evalue: "no", traceback: ["Error: no"] };
  const { core, runner, setNow } = makeCore({ bad: { status: "error", error } });
  core.receive(exec("bad", { stop_on_error: false }, 1));
  core.receive(exec("a", {}, 2));
  setNow(10);
  core.start();
  await settle();
  assert.equal(runner.ran, ["bad", "a"]);
});

E("one request at a time: the second's busy comes after the first's idle, and each reply before its idle", async () => {
  let release!: () => void;
  const slow = () => new Promise<RunResult>((resolve) => (release = () => resolve({ status: "ok", hasValue: false })));
  const { core, transport } = makeCore({ slow });
  core.start();
  const a = exec("slow");
  const b = request("shell", "kernel_info_request", {});
  core.receive(a);
  core.receive(b);
  await settle();
  const [ia, ib] = [a.msg.header.msg_id, b.msg.header.msg_id];
  assert.equal(transport.trace(), [`${ia}:busy`, `${ia}:execute_input`], "b waits while a runs");
  release();
  await settle();
  assert.equal(transport.trace(), [`${ia}:busy`, `${ia}:execute_input`, `${ia}:execute_reply`, `${ia}:idle`, `${ib}:busy`, `${ib}:kernel_info_reply`, `${ib}:idle`]);
});

E("a handler that throws is answered (KernelError) and the kernel goes idle", async () => {
  const { core, transport, logs } = makeCore({}, {});
  (core as any).runner.execute = () => Promise.reject(new Error("runner broke"));
  core.start();
  core.receive(exec("x"));
  await settle();
  const reply = transport.sent.find((s) => s.msgType === "execute_reply")!;
  assert.equal(reply.content, { status: "error", ename: "KernelError", evalue: "runner broke", traceback: [] });
  assert.is(transport.sent[transport.sent.length - 1].content.execution_state, "idle");
  assert.ok(logs.some((l) => l.startsWith("execute_request failed")), logs.join("\n"));
});

E("the memory line goes to stderr after the cell's outputs when the cell left unheld tensors", async () => {
  const probes = [
    { tensors: 5, bytes: 100, unnamed: { tensors: 1, bytes: 10 } },
    { tensors: 7, bytes: 900, unnamed: { tensors: 3, bytes: 810 } },
  ];
  const { core, transport } = makeCore({ leak: { status: "ok", value: 1, hasValue: true } }, { probeMemory: () => probes.shift() });
  core.start();
  core.receive(exec("leak"));
  await settle();
  assert.equal(transport.sent.map((s) => s.msgType), ["status", "execute_input", "execute_result", "stream", "execute_reply", "status"]);
  const line: string = transport.sent[3].content.text;
  assert.is(transport.sent[3].content.name, "stderr");
  assert.ok(line.startsWith("memory: cell [1] left 2 tensors (800 B) that no name holds"), line);
  assert.ok(line.endsWith("\n"));
});

E("a memory probe that throws is logged and the cell is not failed", async () => {
  const { core, transport, logs } = makeCore({}, { probeMemory: () => { throw new Error("probe broke"); } });
  core.start();
  core.receive(exec("x"));
  await settle();
  assert.is(transport.sent.find((s) => s.msgType === "execute_reply")!.content.status, "ok");
  assert.ok(logs.some((l) => l.includes("probe broke")));
});

E.run();

const R = suite("the other requests");

R("kernel_info_reply: the spec's fields, TypeScript and JavaScript", async () => {
  const { core, transport } = makeCore();
  core.start();
  core.receive(request("shell", "kernel_info_request", {}));
  await settle();
  const c = transport.sent[1].content;
  assert.is(c.status, "ok");
  assert.is(c.protocol_version, "5.3");
  assert.is(c.implementation, "stripes");
  assert.is(c.implementation_version, "9.9.9");
  assert.is(c.banner, "a banner");
  assert.equal(c.help_links, []);
  assert.equal(c.language_info, { name: "typescript", version: "5.0.4", mimetype: "text/typescript", file_extension: ".ts", codemirror_mode: { mode: "typescript", name: "javascript", typescript: true } });
  const js = kernelInfoContent({ version: "1", js: true, languageVersion: "20.0.0", banner: "" }) as any;
  assert.equal(js.language_info, { name: "javascript", version: "20.0.0", mimetype: "text/javascript", file_extension: ".js", codemirror_mode: "javascript" });
});

R("is_complete, complete, inspect: the runner's answers in the spec's reply shapes", async () => {
  const { core, transport } = makeCore();
  core.start();
  core.receive(request("shell", "is_complete_request", { code: "for (;;) {" }));
  core.receive(request("shell", "is_complete_request", { code: "1" }));
  core.receive(request("shell", "complete_request", { code: "tf.ze", cursor_pos: 5 }));
  core.receive(request("shell", "inspect_request", { code: "x", cursor_pos: 1, detail_level: 0 }));
  core.receive(request("shell", "inspect_request", { code: "y", cursor_pos: 1, detail_level: 0 }));
  await settle();
  const replies = transport.sent.filter((s) => s.on === "shell").map((s) => s.content);
  assert.equal(replies, [
    { status: "incomplete", indent: "  " },
    { status: "complete" },
    { status: "ok", cursor_start: 3, cursor_end: 5, matches: ["zeDone"], metadata: {} },
    { status: "ok", found: true, data: { "text/plain": "const x: number" }, metadata: {} },
    { status: "ok", found: false, data: {}, metadata: {} },
  ]);
});

R("history_request: an empty history", async () => {
  const { core, transport } = makeCore();
  core.start();
  core.receive(request("shell", "history_request", { hist_access_type: "tail", n: 10 }));
  await settle();
  assert.equal(transport.sent[1].content, { status: "ok", history: [] });
});

R("comm_info_reply lists the open comms (all, or one target's); a comm_open to an unknown target is closed", async () => {
  const { core, transport } = makeCore();
  core.attachOutputs();
  core.start();
  const comms = commManager();
  comms.registerTarget("test.target", () => {});
  core.receive(request("shell", "comm_open", { comm_id: "c1", target_name: "test.target", data: {} }));
  core.receive(request("shell", "comm_open", { comm_id: "c2", target_name: "nobody", data: {} }));
  core.receive(request("shell", "comm_info_request", { target_name: "test.target" }));
  core.receive(request("shell", "comm_info_request", { target_name: "other" }));
  await settle();
  const replies = transport.sent.filter((s) => s.msgType === "comm_info_reply").map((s) => s.content);
  assert.equal(replies, [
    { status: "ok", comms: { c1: { target_name: "test.target" } } },
    { status: "ok", comms: {} },
  ]);
  const closes = transport.sent.filter((s) => s.msgType === "comm_close");
  assert.equal(closes.map((s) => s.content), [{ comm_id: "c2", data: {} }]);
  assert.is(transport.sent.filter((s) => s.msgType === "comm_open_reply").length, 0, "comm messages have no reply");
  core.receive(request("shell", "comm_close", { comm_id: "c1", data: {} }));
  await settle();
  comms.unregisterTarget("test.target");
});

R("control requests are served at once, beside a running cell, with no busy/idle: shutdown and interrupt", async () => {
  const { core, transport, runner, shutdowns } = makeCore({ forever: () => new Promise<RunResult>(() => {}) });
  core.start();
  const cell = exec("forever");
  core.receive(cell);
  await settle();
  const intr = request("control", "interrupt_request", {});
  core.receive(intr);
  await settle();
  assert.is(runner.interrupts, 1);
  assert.equal(transport.sent.find((s) => s.parent === intr.msg.header.msg_id), { on: "control", msgType: "interrupt_reply", parent: intr.msg.header.msg_id, content: { status: "ok" } });
  const reply = transport.sent.find((s) => s.parent === cell.msg.header.msg_id && s.msgType === "execute_reply")!;
  assert.equal(reply.content, { status: "error", execution_count: 1, ename: "KeyboardInterrupt", evalue: "the cell was interrupted", traceback: ["KeyboardInterrupt: the cell was interrupted"] });
  const stop = request("control", "shutdown_request", { restart: true });
  core.receive(stop);
  await settle();
  assert.equal(shutdowns, [true]);
  assert.equal(transport.sent.filter((s) => s.parent === intr.msg.header.msg_id || s.parent === stop.msg.header.msg_id).map((s) => s.msgType), ["interrupt_reply", "shutdown_reply"]);
  assert.equal(transport.sent[transport.sent.length - 1].content, { status: "ok", restart: true });
});

R("core.interrupt() (the platform's signal) ends an awaiting cell with KeyboardInterrupt", async () => {
  const { core, transport } = makeCore({ forever: () => new Promise<RunResult>(() => {}) });
  core.start();
  core.receive(exec("forever"));
  await settle();
  core.interrupt();
  await settle();
  assert.is(transport.sent.find((s) => s.msgType === "execute_reply")!.content.ename, "KeyboardInterrupt");
});

R.run();

const D = suite("display, stream and comm routing");

D("display, stream text and comm messages from a running cell are parented to its request; later ones to the last request", async () => {
  let release!: () => void;
  const cell = () =>
    new Promise<RunResult>((resolve) => {
      display.text("during");
      core.stream("stdout", "printed\n");
      core.stream("stdout", ""); // nothing to send
      release = () => resolve({ status: "ok", hasValue: false });
    });
  const { core, transport } = makeCore({ cell });
  core.attachOutputs();
  assert.is((globalThis as any)[KERNEL_SINK], core.displaySink, "stripes' display sink is the core's");
  core.start();
  const r = exec("cell");
  core.receive(r);
  await settle();
  assert.is(currentParent()?.msg_id, r.msg.header.msg_id, "the Output widget's current request");
  const comm = commManager().open("late.target", { x: 1 });
  release();
  await settle();
  display.text("after"); // a callback after the cell ended
  const id = r.msg.header.msg_id;
  assert.equal(transport.trace(), [`${id}:busy`, `${id}:execute_input`, `${id}:display_data`, `${id}:stream`, `${id}:comm_open`, `${id}:execute_reply`, `${id}:idle`, `${id}:display_data`]);
  assert.equal(transport.sent[2].content.data, { "text/plain": "during" });
  assert.equal(transport.sent[3].content, { name: "stdout", text: "printed\n" });
  assert.equal(transport.sent[4].content, { comm_id: comm.commId, target_name: "late.target", data: { x: 1 } });
  comm.close();
});

D.run();
