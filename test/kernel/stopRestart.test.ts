/**
 * Stop and Restart in every state a learner meets them, on the real stripes kernel:
 * - with SIGINT (Jupyter's signal interrupt mode, kernels installed before the kernelspec moved to
 *   message mode): while the cell compiles, in a synchronous loop, while it awaits: one
 *   KeyboardInterrupt line each time, and the names (a number and a tfjs tensor) are still there
 *   with their values;
 * - with `interrupt_request` on control (the kernelspec's interrupt_mode "message", what Jupyter's
 *   Stop button then sends): a synchronous loop that starts after an `await` in the same cell —
 *   after `Promise.resolve()`, after `tf.nextFrame()`, in a function an earlier cell defined, in
 *   a nested loop — ends the same way, and the kernel and the names stay;
 * - a SIGINT cannot reach such a loop (docs/kernel.md): it runs to its end, and the late signal
 *   does not end the cell queued behind it; an interrupt sent as a cell ends never ends the next;
 * - restart (shutdown_request with restart: true, then a new process, as Jupyter does): the
 *   process exits 0, the new one has none of the old names, runs cells, and has its tfjs backend
 *   set up again (wasm, no tensors left from before).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kernel, stripesKernelArgv, type Message } from "../../src/jupyter/client";

const ROOT = path.join(__dirname, "..", "..");

const S = suite("Stop and Restart in every state");
let k: Kernel;
let dir: string;

function kernelEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _, ...env } = process.env;
  return { ...env, STRIPES_CACHE: path.join(dir, "cache") };
}

interface Ran {
  reply: Message;
  stdout: string;
  result?: string;
  /** From pressing Stop to the execute_reply, in ms. */
  stopMs?: number;
}

/** Stop as Jupyter sends it: SIGINT (signal mode) or interrupt_request on control (message mode). */
type Via = "signal" | "message";

function pressStop(via: Via): Promise<unknown> {
  if (via === "signal") {
    k.interrupt();
    return Promise.resolve();
  }
  return k.request("interrupt_request", {}, { channel: "control", timeoutMs: 30_000 });
}

/**
 * Runs a cell and presses Stop: at execute_input (the kernel is compiling the cell), or `delayMs`
 * after the cell printed "running" (it is in the state under test, not still compiling). A Stop
 * not pressed by the time the cell has ended is pressed then, and its reply awaited, so that it
 * never lands in the cell run after this one.
 */
async function run(code: string, stop?: { at: "input" | "running"; delayMs?: number; via?: Via }): Promise<Ran> {
  let stdout = "";
  let result: string | undefined;
  let pressed = false;
  let pressedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sent: Promise<unknown> | undefined;
  const fire = () => {
    pressedAt = Date.now();
    sent = pressStop(stop?.via ?? "signal");
  };
  const press = () => {
    if (pressed) return;
    pressed = true;
    timer = setTimeout(fire, stop?.delayMs ?? 0);
  };
  const { reply } = await k.request("execute_request", Kernel.executeContent(code), {
    timeoutMs: 120_000,
    onIopub: (m: Message) => {
      if (stop?.at === "input" && m.header.msg_type === "execute_input") press();
      if (m.header.msg_type === "stream" && m.content.name === "stdout") {
        stdout += m.content.text;
        if (stop?.at === "running" && stdout.includes("running\n")) press();
      }
      if (m.header.msg_type === "execute_result") result = m.content.data["text/plain"];
    },
  });
  const stopMs = pressedAt === undefined ? undefined : Date.now() - pressedAt;
  if (pressed && pressedAt === undefined) {
    clearTimeout(timer);
    fire();
  }
  await sent;
  return { reply, stdout, result, stopMs };
}

async function namesKept(): Promise<void> {
  const r = await run("`${kept} ${tf.sum(keptT).dataSync()[0]}`");
  assert.is(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
  assert.is(r.result, "42 4");
}

function interrupted(r: Ran): void {
  assert.is(r.reply.content.status, "error", JSON.stringify(r.reply.content));
  assert.is(r.reply.content.ename, "KeyboardInterrupt");
  assert.equal(r.reply.content.traceback, ["KeyboardInterrupt: the cell was interrupted"]);
}

S.before(async () => {
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-stop-")); // under the repo: "stripes" resolves
  k = await Kernel.start({ cwd: dir, env: kernelEnv(), argv: stripesKernelArgv() });
  const r = await run('import { tf } from "stripes";\nconst kept = 42;\nconst keptT = tf.ones([2, 2]);\nlet spins = 0;');
  assert.is(r.reply.content.status, "ok", JSON.stringify(r.reply.content));
});

S.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

S("Stop while the cell compiles: KeyboardInterrupt, names kept", async () => {
  interrupted(await run("const early = 1;\nwhile (true) spins++;", { at: "input" }));
  await namesKept();
});

S("Stop in a synchronous loop: KeyboardInterrupt, names kept", async () => {
  interrupted(await run('console.log("running");\nwhile (true) spins++;', { at: "running", delayMs: 300 }));
  await namesKept();
});

S("Stop while awaiting: KeyboardInterrupt at the next await, names kept", async () => {
  interrupted(await run('console.log("running");\nwhile (true) { spins++; await new Promise((r) => setTimeout(r, 5)); }', { at: "running", delayMs: 300 }));
  await namesKept();
});

/** Stop by interrupt_request 0.3 s into `code` (which prints "running" first): one line, names kept. */
async function stopsAfterAwait(what: string, code: string): Promise<void> {
  const r = await run(code, { at: "running", delayMs: 300, via: "message" });
  console.log(`  ${what}: Stop ended it in ${r.stopMs} ms`);
  interrupted(r);
  assert.is(r.stdout, "running\n");
  await namesKept();
}

S("interrupt_request ends a synchronous loop after `await Promise.resolve()`: KeyboardInterrupt, names kept", async () => {
  await stopsAfterAwait("while (true) after Promise.resolve()", 'await Promise.resolve();\nconsole.log("running");\nwhile (true) {}');
});

S("interrupt_request ends `for (;;)` after `await tf.nextFrame()`", async () => {
  await stopsAfterAwait("for (;;) after tf.nextFrame()", 'await tf.nextFrame();\nconsole.log("running");\nfor (;;) { spins++; }');
});

S("interrupt_request ends a loop in a function an earlier cell defined, called after an await", async () => {
  const def = await run("function spinForever(): number {\n  let n = 0;\n  while (true) n++;\n  return n;\n}");
  assert.is(def.reply.content.status, "ok", JSON.stringify(def.reply.content));
  await stopsAfterAwait("a function from an earlier cell", 'await new Promise((r) => setTimeout(r, 10));\nconsole.log("running");\nspinForever();');
});

S("interrupt_request ends a nested loop after an await (the inner loop never ends)", async () => {
  await stopsAfterAwait(
    "a nested loop",
    'await Promise.resolve();\nconsole.log("running");\nfor (let i = 0; i < 10; i++)\n  for (let j = 0; j >= 0; j++) spins++;',
  );
});

S("SIGINT cannot reach a loop after an await: it runs to its end, the next cell runs; with `await tf.nextFrame()` in each step it ends", async () => {
  // a bounded loop of 1.5 s, SIGINT 0.3 s into it
  const stuck = await run(
    'await new Promise((r) => setTimeout(r, 10));\nconsole.log("running");\nconst until = Date.now() + 1500;\nwhile (Date.now() < until) spins++;\nconsole.log(`loop ended: ${Date.now() >= until}`);',
    { at: "running", delayMs: 300, via: "signal" },
  );
  assert.is(stuck.stdout, "running\nloop ended: true\n", "the loop ran to its end");
  assert.is(stuck.reply.content.status, "ok", JSON.stringify(stuck.reply.content));
  const next = await run("1 + 1");
  assert.is(next.result, "2", JSON.stringify(next.reply.content));
  // with an await in each step, SIGINT ends such a loop at that await
  const awaiting = await run('await Promise.resolve();\nconsole.log("running");\nwhile (true) { spins++; await tf.nextFrame(); }', { at: "running", delayMs: 300 });
  interrupted(awaiting);
  await namesKept();
});

S("a late SIGINT, sent during a loop after an await, does not end the cell queued behind it", async () => {
  const first = k.request("execute_request", Kernel.executeContent('await Promise.resolve();\nconsole.log("running");\nconst until2 = Date.now() + 1500;\nwhile (Date.now() < until2) spins++;\n"first"'), {
    timeoutMs: 60_000,
    onIopub: (m) => m.header.msg_type === "stream" && m.content.text.includes("running") && setTimeout(() => k.interrupt(), 300),
  });
  const second = k.request("execute_request", Kernel.executeContent('await Promise.resolve();\nlet laps2 = 0;\nfor (let i = 0; i < 1e6; i++) laps2++;\nlaps2'), { timeoutMs: 60_000 });
  const [a, b] = await Promise.all([first, second]);
  assert.is(a.reply.content.status, "ok", JSON.stringify(a.reply.content));
  assert.is(b.reply.content.status, "ok", JSON.stringify(b.reply.content));
  assert.is(b.iopub.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"], "1000000");
  await namesKept();
});

S("an interrupt sent just as a cell ends never ends the next cell (8 times, Stop at 100 to 240 ms of a 200 ms loop)", async () => {
  let interruptedFirst = 0;
  for (let t = 0; t < 8; t++) {
    const a = await run(`await Promise.resolve();\nconsole.log("running");\nconst until${t} = Date.now() + 200;\nwhile (Date.now() < until${t}) spins++;`, {
      at: "running",
      delayMs: 100 + 20 * t,
      via: "message",
    });
    if (a.reply.content.status === "error") {
      interrupted(a);
      interruptedFirst++;
    }
    const b = await run("await new Promise((r) => setTimeout(r, 50));\nlet y = 0;\nfor (let i = 0; i < 1e6; i++) y++;\ny");
    assert.is(b.reply.content.status, "ok", `round ${t}: ${JSON.stringify(b.reply.content)}`);
    assert.is(b.result, "1000000");
  }
  console.log(`  ${interruptedFirst} of 8 first cells were interrupted, none of the next ones`);
  await namesKept();
});

S("Restart: the old process exits 0; the new one has none of the old names, runs cells, and has its backend again", async () => {
  const exited = new Promise<number | null>((r) => k.process.once("exit", (code) => r(code)));
  const { reply } = await k.request("shutdown_request", { restart: true }, { channel: "control" });
  assert.equal(reply.content, { status: "ok", restart: true });
  assert.is(await exited, 0);
  await k.shutdown();
  const began = Date.now();
  k = await Kernel.start({ cwd: dir, env: kernelEnv(), argv: stripesKernelArgv() });
  console.log(`  restarted in ${Date.now() - began} ms`);
  const gone = await run("kept");
  assert.is(gone.reply.content.status, "error");
  assert.match(JSON.stringify(gone.reply.content), /Cannot find name 'kept'/);
  const fresh = await run('import { tf } from "stripes";\n`${tf.getBackend()} ${tf.memory().numTensors} ${tf.sum(tf.ones([3, 3])).dataSync()[0]}`');
  assert.is(fresh.reply.content.status, "ok", JSON.stringify(fresh.reply.content));
  assert.is(fresh.result, "wasm 0 9");
});

S.run();
