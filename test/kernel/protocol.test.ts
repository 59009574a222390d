/**
 * The stripes kernel (dist/kernel/main.js, built by `npm test`) driven over ZeroMQ by the
 * project's own client, message by message, as Jupyter front ends see it: Run All of queued
 * cells, errors, names kept after a failing cell, interrupt, heartbeat during a long cell, the
 * other requests and shutdown. Expected shapes are jupyter_client's messaging spec (5.3) and
 * ipykernel's behaviour (busy/idle around every request, execute_input before outputs, aborted
 * replies behind an error under stop_on_error, interrupt and heartbeat on their own sockets).
 *
 * Each test counts the protocol messages whose type, parent and content it checked; the totals
 * are printed at the end ("protocol messages checked").
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kernel, type Message, type RequestResult } from "../../src/jupyter/client";

const ROOT = path.join(__dirname, "..", "..");
const counts: Record<string, number> = {};
function checked(test: string, n: number): void {
  counts[test] = (counts[test] ?? 0) + n;
}

function kernelEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _, ...env } = process.env; // uvu sets it; values would be coloured
  return env;
}

async function start(dir: string): Promise<Kernel> {
  return Kernel.start({ cwd: dir, env: kernelEnv() });
}

function scratch(): string {
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  return fs.mkdtempSync(path.join(ROOT, ".cache", "test-kernel-")); // under the repo: "stripes" resolves
}

const types = (msgs: Message[]) => msgs.map((m) => (m.header.msg_type === "status" ? `status:${m.content.execution_state}` : m.header.msg_type));
const execute = (k: Kernel, code: string, overrides: Record<string, unknown> = {}) => k.request("execute_request", Kernel.executeContent(code, overrides));

const P = suite("stripes kernel protocol");
let k: Kernel;
let dir: string;

P.before(async () => {
  dir = scratch();
  k = await start(dir);
});
P.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

P("kernel_info: protocol 5.3, TypeScript, the backend and threads in the banner", async () => {
  const { reply, iopub } = await k.request("kernel_info_request", {});
  assert.is(reply.header.msg_type, "kernel_info_reply");
  const c = reply.content;
  assert.is(c.status, "ok");
  assert.is(c.protocol_version, "5.3");
  assert.is(c.implementation, "stripes");
  assert.is(c.language_info.name, "typescript");
  assert.is(c.language_info.file_extension, ".ts");
  assert.match(c.banner, /tfjs backend: (tensorflow|wasm|cpu) \((\d+ threads?|libtensorflow's threads)\)/);
  assert.equal(types(iopub), ["status:busy", "status:idle"]);
  checked("kernel_info", 1 + iopub.length);
});

P("Run All: 5 cells queued at once (one a 3 s synchronous loop) run one at a time, in order", async () => {
  const cells = [
    'let total = 0;\nconsole.log("one");',
    'const began = Date.now();\nwhile (Date.now() - began < 3000) total++;\nconsole.log("looped");',
    "total > 0",
    'import * as tslab from "tslab";\ntslab.display.text("shown");',
    'const d = tslab.newDisplay();\nd.text("a");\nd.text("b");',
  ];
  const all: Message[] = [];
  const untap = k.tapIopub((m) => all.push(m));
  const ids: string[] = [];
  const replyArrived: number[] = [];
  const results: Promise<RequestResult>[] = cells.map((code, i) =>
    k.request("execute_request", Kernel.executeContent(code), { onSent: (id) => (ids[i] = id) }).then((r) => {
      replyArrived[i] = Date.now();
      return r;
    }),
  );
  // The heartbeat answers while the synchronous loop blocks the kernel's main thread.
  while (!all.some((m) => m.parent_header.msg_id === ids[1] && m.header.msg_type === "execute_input")) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 500));
  await k.ping(2500);
  const pinged = Date.now();
  // So does control (kernel_info there is answered by the socket thread).
  const onControl = await k.request("kernel_info_request", {}, { channel: "control" });
  const controlAnswered = Date.now();
  const done = await Promise.all(results);
  untap();
  assert.ok(replyArrived[1] > pinged, "the heartbeat answered before the long cell's reply");
  assert.ok(replyArrived[1] > controlAnswered, "control answered before the long cell's reply");
  assert.is(onControl.reply.header.msg_type, "kernel_info_reply");
  assert.is(onControl.reply.content.implementation, "stripes");
  checked("run all", 2);

  const expectedOutputs = [["stream"], ["stream"], ["execute_result"], ["display_data"], ["display_data", "update_display_data"]];
  done.forEach(({ reply, iopub }, i) => {
    assert.is(reply.header.msg_type, "execute_reply");
    assert.is(reply.parent_header.msg_id, ids[i]);
    assert.equal(reply.content.status, "ok");
    assert.is(reply.content.execution_count, i + 1);
    assert.equal(types(iopub), ["status:busy", "execute_input", ...expectedOutputs[i], "status:idle"], `cell ${i + 1}`);
    assert.equal(iopub[1].content, { code: cells[i], execution_count: i + 1 });
    // The kernel sent the reply before idle (both carry the kernel's clock).
    assert.ok(reply.header.date <= iopub[iopub.length - 1].header.date, "reply before idle");
    checked("run all", 1 + iopub.length);
  });
  assert.equal(done[0].iopub[2].content, { name: "stdout", text: "one\n" });
  assert.equal(done[1].iopub[2].content, { name: "stdout", text: "looped\n" });
  assert.equal(done[2].iopub[2].content, { execution_count: 3, data: { "text/plain": "true" }, metadata: {} });
  assert.equal(done[3].iopub[2].content.data, { "text/plain": "shown" });
  const [shown, updated] = [done[4].iopub[2].content, done[4].iopub[3].content];
  assert.is(shown.transient.display_id, updated.transient.display_id);
  assert.equal([shown.data, updated.data], [{ "text/plain": "a" }, { "text/plain": "b" }]);

  // Strictly one at a time: every message of cell i comes before any of cell i+1, and the
  // kernel is idle only after the last one.
  const order = all.filter((m) => ids.includes(m.parent_header.msg_id!)).map((m) => ids.indexOf(m.parent_header.msg_id!));
  assert.equal(order, [...order].sort((a, b) => a - b));
  const statuses = all.filter((m) => m.header.msg_type === "status" && ids.includes(m.parent_header.msg_id!));
  assert.equal(statuses.map((m) => m.content.execution_state), ["busy", "idle", "busy", "idle", "busy", "idle", "busy", "idle", "busy", "idle"]);
  assert.is(statuses[statuses.length - 1].parent_header.msg_id, ids[4]);
  checked("run all", statuses.length);
});

P("a throwing cell: iopub error and reply status error, traceback only the learner's lines", async () => {
  const { reply, iopub } = await execute(k, 'const n = 3;\nthrow new RangeError("n is " + n);');
  const error = iopub.find((m) => m.header.msg_type === "error")!;
  assert.equal(types(iopub), ["status:busy", "execute_input", "error", "status:idle"]);
  assert.is(error.content.ename, "RangeError");
  assert.is(error.content.evalue, "n is 3");
  assert.equal(error.content.traceback, ["RangeError: n is 3", `    at cell ${reply.content.execution_count}, line 2`]);
  assert.equal({ ...reply.content }, { status: "error", execution_count: reply.content.execution_count, ...error.content });
  checked("error content", 2 + iopub.length - 1);
});

P("a StripesError shows as its one line", async () => {
  const { reply, iopub } = await execute(k, 'import { torch } from "stripes";\ntorch.load("no-such-file.pth");');
  const error = iopub.find((m) => m.header.msg_type === "error")!;
  assert.is(reply.content.status, "error");
  assert.is(error.content.ename, "CheckpointError");
  assert.equal(error.content.traceback, ["CheckpointError: no-such-file.pth: cannot read: no such file"]);
  checked("error content", 2);
});

P("names the failing cell imported or declared before the failing statement stay usable", async () => {
  await execute(k, 'const keep = "old";');
  // An exercise cell whose code throws after the import (check itself never throws).
  const failed = await execute(k, 'import { check, torch } from "stripes";\nconst before = 41;\ntorch.load("no-such-file.pth");\nconst after = 1;\nconst keep = 5;');
  assert.is(failed.reply.content.status, "error");
  const next = await execute(k, 'typeof check + " " + (before + 1) + " " + keep');
  assert.is(next.reply.content.status, "ok");
  assert.equal(next.iopub.find((m) => m.header.msg_type === "execute_result")!.content.data, { "text/plain": "function 42 old" });
  // Declared after the failing statement: not there (compile error in the next cell).
  const later = await execute(k, "after");
  assert.is(later.reply.content.ename, "TypeScriptError");
  assert.match(later.reply.content.evalue, /^1:1 - Cannot find name 'after'/);
  checked("names kept", 4);
});

P("a TypeScript error: the cell's line:column, the line and a caret", async () => {
  const { reply, iopub } = await execute(k, "const a = 1;\nconst b: string = a;");
  const error = iopub.find((m) => m.header.msg_type === "error")!;
  assert.equal(types(iopub), ["status:busy", "execute_input", "error", "status:idle"]);
  assert.is(error.content.ename, "TypeScriptError");
  assert.is(error.content.evalue, "2:7 - Type 'number' is not assignable to type 'string'.");
  assert.equal(error.content.traceback, ["2:7 - Type 'number' is not assignable to type 'string'.", "    const b: string = a;", "          ^"]);
  assert.is(reply.content.status, "error");
  checked("compile error", 2);
});

P("stop_on_error: requests queued behind a failing cell are aborted (busy, {status: aborted}, idle)", async () => {
  const sent = [execute(k, 'throw new Error("first")'), execute(k, 'console.log("never")'), execute(k, 'console.log("never either")')];
  const [failed, ...aborted] = await Promise.all(sent);
  assert.is(failed.reply.content.status, "error");
  for (const a of aborted) {
    assert.equal(a.reply.content, { status: "aborted" });
    assert.equal(types(a.iopub), ["status:busy", "status:idle"]);
    checked("stop_on_error", 1 + a.iopub.length);
  }
  // With stop_on_error false the next cell runs.
  const sent2 = [execute(k, 'throw new Error("again")', { stop_on_error: false }), execute(k, "40 + 2")];
  const [, ran] = await Promise.all(sent2);
  assert.is(ran.reply.content.status, "ok");
  checked("stop_on_error", 2);
});

async function waitForInput(k: Kernel, code: string): Promise<{ result: Promise<RequestResult>; count: number }> {
  let resolveInput: (n: number) => void;
  const input = new Promise<number>((r) => (resolveInput = r));
  const result = k.request("execute_request", Kernel.executeContent(code), {
    onIopub: (m) => m.header.msg_type === "execute_input" && resolveInput(m.content.execution_count),
  });
  const count = await input;
  await new Promise((r) => setTimeout(r, 700)); // well inside the loop
  return { result, count };
}

P("interrupt_request mid-loop: one-line KeyboardInterrupt; the kernel lives and keeps its variables", async () => {
  await execute(k, "let kept = 7;\nlet spins = 0;");
  const { result } = await waitForInput(k, "while (true) spins++;");
  const interrupt = await k.request("interrupt_request", {}, { channel: "control" });
  assert.is(interrupt.reply.header.msg_type, "interrupt_reply");
  assert.equal(interrupt.reply.content, { status: "ok" });
  const { reply, iopub } = await result;
  assert.equal(types(iopub), ["status:busy", "execute_input", "error", "status:idle"]);
  assert.equal(reply.content.traceback, ["KeyboardInterrupt: the cell was interrupted"]);
  assert.is(reply.content.ename, "KeyboardInterrupt");
  const after = await execute(k, "kept + 1 + (spins > 0 ? 0 : 100)");
  assert.equal(after.iopub.find((m) => m.header.msg_type === "execute_result")!.content.data, { "text/plain": "8" });
  checked("interrupt", 3 + iopub.length);
});

P("SIGINT (interrupt_mode signal) ends a synchronous loop, even one sent while the cell compiles; an awaiting loop stops at its next await", async () => {
  const sync = await waitForInput(k, "while (true) spins++;");
  k.interrupt();
  const s = await sync.result;
  assert.is(s.reply.content.ename, "KeyboardInterrupt");

  // SIGINT the moment execute_input arrives, while the kernel still compiles the cell.
  const early = await k.request("execute_request", Kernel.executeContent("const early = 1;\nwhile (true) spins++;"), {
    onIopub: (m) => m.header.msg_type === "execute_input" && k.interrupt(),
  });
  assert.is(early.reply.content.ename, "KeyboardInterrupt");

  await execute(k, "let ticks = 0;");
  const awaiting = await waitForInput(k, "while (true) { ticks++; await new Promise((r) => setTimeout(r, 5)); }");
  k.interrupt();
  const a = await awaiting.result;
  assert.is(a.reply.content.ename, "KeyboardInterrupt");
  const t1 = await execute(k, "ticks");
  await new Promise((r) => setTimeout(r, 300));
  const t2 = await execute(k, "ticks");
  const value = (r: RequestResult) => r.iopub.find((m) => m.header.msg_type === "execute_result")!.content.data["text/plain"];
  assert.is(value(t2), value(t1), "the loop no longer runs in the background");
  checked("interrupt", 5);
});

P("is_complete, complete, inspect, comm_info, an unknown comm target", async () => {
  const open = await k.request("is_complete_request", { code: "for (let i = 0; i < 3; i++) {" });
  assert.is(open.reply.header.msg_type, "is_complete_reply");
  assert.is(open.reply.content.status, "incomplete");
  const closed = await k.request("is_complete_request", { code: "1 + 1" });
  assert.is(closed.reply.content.status, "complete");
  const complete = await k.request("complete_request", { code: "Math.flo", cursor_pos: 8 });
  assert.is(complete.reply.header.msg_type, "complete_reply");
  assert.ok(complete.reply.content.matches.includes("floor"));
  assert.equal([complete.reply.content.cursor_start, complete.reply.content.cursor_end], [5, 8]);
  const inspect = await k.request("inspect_request", { code: "Math.floor", cursor_pos: 7, detail_level: 0 });
  assert.is(inspect.reply.header.msg_type, "inspect_reply");
  assert.is(inspect.reply.content.found, true);
  assert.match(inspect.reply.content.data["text/plain"], /floor\(x: number\): number/);
  const info = await k.request("comm_info_request", { target_name: "no.such.target" });
  assert.is(info.reply.header.msg_type, "comm_info_reply");
  assert.equal(info.reply.content, { status: "ok", comms: {} });
  // No reply to comm messages; an unknown target is answered with comm_close (done at idle).
  const comm = await k.request("comm_open", { comm_id: "c-1", target_name: "no.such.target", data: {} }, { expectReply: false });
  assert.equal(types(comm.iopub), ["status:busy", "comm_close", "status:idle"]);
  assert.equal(comm.iopub[1].content, { comm_id: "c-1", data: {} });
  checked("other requests", 9);
});

P.run();

const S = suite("stripes kernel shutdown");

S("shutdown_request on control while a cell awaits: shutdown_reply, then the process exits 0", async () => {
  const d = scratch();
  const k2 = await start(d);
  try {
    const exited = new Promise<number | null>((r) => k2.process.once("exit", (code) => r(code)));
    const running = await waitForInput(k2, "await new Promise((r) => setTimeout(r, 60000));");
    running.result.catch(() => undefined); // it never replies: the kernel exits under it
    const { reply } = await k2.request("shutdown_request", { restart: false }, { channel: "control" });
    assert.is(reply.header.msg_type, "shutdown_reply");
    assert.equal(reply.content, { status: "ok", restart: false });
    assert.is(await exited, 0);
    checked("shutdown", 1);
  } finally {
    await k2.shutdown();
    fs.rmSync(d, { recursive: true, force: true });
  }
});

S.after(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`\nprotocol messages checked: ${total} (${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(", ")})`);
});

S.run();
