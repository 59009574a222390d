/**
 * Lesson 02's playground under a learner's hands, through the real stripes kernel as a page
 * drives it: its buttons and sliders are comm messages from the front end (the project's own
 * client here). 50 play/pause cycles and 1,000 drags of the "lr D" slider: every message is
 * answered (each drag with its echo_update), the step counter the page shows is the game's, the
 * game took the last value, tfjs's live tensors and bytes do not grow, and the kernel's memory
 * guard has nothing to say.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kernel, stripesKernelArgv, type Message } from "../../src/jupyter/client";

const ROOT = path.join(__dirname, "..", "..");
const CYCLES = 50;
const DRAGS = 1000;

const P = suite("lesson 02's playground: play/pause and slider drags through the kernel");
let k: Kernel;
let dir: string;
const ids: Record<string, string> = {};
let statusId = "";

async function execute(code: string): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const reply = await k.execute(code, {
    timeoutMs: 120_000,
    onIopub: (m: Message) => {
      if (m.header.msg_type === "stream") m.content.name === "stdout" ? (stdout += m.content.text) : (stderr += m.content.text);
    },
  });
  assert.is(reply.status, "ok", `cell failed: ${JSON.stringify(reply)} ${stderr}`);
  return { stdout, stderr };
}

async function comm(data: object, commId: string): Promise<Message[]> {
  const { iopub } = await k.request("comm_msg", { comm_id: commId, data }, { expectReply: false });
  return iopub;
}

const click = (name: string) => comm({ method: "custom", content: { event: "click" } }, ids[name]);

const PROBE = 'console.log(JSON.stringify((() => { const m = tf.memory(); return { tensors: m.numTensors, bytes: m.numBytes, step: pg.game.stepCount, playing: pg.playing, status: pg.status.value, lrD: pg.game.settings.lrD }; })()))';
type Probe = { tensors: number; bytes: number; step: number; playing: boolean; status: string; lrD: number };
const probe = async (): Promise<Probe> => JSON.parse((await execute(PROBE)).stdout);

P.before(async () => {
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-playground-")); // under the repo: "stripes" resolves
  const { FORCE_COLOR: _, ...env } = process.env;
  k = await Kernel.start({ cwd: dir, env: { ...env, STRIPES_CACHE: path.join(dir, "cache") }, argv: stripesKernelArgv() });
  let opens: Message[] = [];
  await k.execute('import { lessons, tf } from "stripes";\nconst pg = new lessons.Playground({ data: "ring" });\npg', {
    timeoutMs: 120_000,
    onIopub: (m: Message) => {
      if (m.header.msg_type === "comm_open") opens.push(m);
    },
  });
  const find = (model: string, description?: string) =>
    opens.find((m) => m.content.data.state._model_name === model && (description === undefined || m.content.data.state.description === description))!.content.comm_id as string;
  ids.play = find("ButtonModel", "▶ play");
  ids.pause = find("ButtonModel", "pause");
  ids.step = find("ButtonModel", "step both");
  ids.lrD = find("FloatLogSliderModel", "lr D");
  const htmls = opens.filter((m) => m.content.data.state._model_name === "HTMLModel");
  statusId = htmls[htmls.length - 1].content.comm_id; // the last HTML: the status line under the plot
  opens = [];
});

P.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The status text a front end shows last, from the updates it was sent. */
const lastStatus = (msgs: Message[]) => msgs.filter((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === statusId && m.content.data.state?.value !== undefined).map((m) => m.content.data.state.value as string).pop();

P(`${CYCLES} play/pause cycles: each answered, the step count shown is the game's, no tensor growth`, async () => {
  // one step first ("step both"): the game's lazily made tensors (its optimizers' moments) exist
  // before the baseline, whether or not a play tick ran before its pause
  await click("step");
  const before = await probe();
  assert.is(before.step, 1);
  const began = Date.now();
  let shown: string | undefined;
  for (let i = 0; i < CYCLES; i++) {
    const played = await click("play");
    assert.ok(played.some((m) => m.header.msg_type === "status" && m.content.execution_state === "idle"), `play ${i} was not answered`);
    const paused = await click("pause");
    assert.ok(paused.length > 0, `pause ${i} was not answered`);
    shown = lastStatus(paused) ?? shown;
  }
  const after = await probe();
  console.log(`  ${CYCLES} play/pause cycles in ${((Date.now() - began) / 1000).toFixed(1)} s: steps ${before.step} -> ${after.step}; tensors ${before.tensors} -> ${after.tensors}, bytes ${before.bytes} -> ${after.bytes}`);
  assert.is(after.playing, false);
  assert.is(after.status, `step ${after.step} · paused`);
  assert.is(shown, after.status, "the front end was last told another status than the kernel's");
  assert.ok(after.step >= before.step);
  assert.is(after.tensors, before.tensors);
  assert.is(after.bytes, before.bytes);
});

P(`${DRAGS} drags of "lr D": each echoed, the game took the last value, no tensor growth`, async () => {
  const before = await probe();
  const began = Date.now();
  let echoes = 0;
  let guard = 0;
  let value = 0;
  for (let i = 0; i < DRAGS; i++) {
    value = Number((10 ** (-4 + (3 * (i % 31)) / 30)).toPrecision(2)); // across the slider's three decades
    const msgs = await comm({ method: "update", state: { value }, buffer_paths: [] }, ids.lrD);
    if (msgs.some((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === ids.lrD && m.content.data.method === "echo_update" && m.content.data.state.value === value)) echoes++;
    if (msgs.some((m) => m.header.msg_type === "stream" && /memory: /.test(m.content.text))) guard++;
  }
  const after = await probe();
  console.log(`  ${DRAGS} drags in ${((Date.now() - began) / 1000).toFixed(1)} s (${((Date.now() - began) / DRAGS).toFixed(1)} ms each): ${echoes} echoed; tensors ${before.tensors} -> ${after.tensors}, bytes ${before.bytes} -> ${after.bytes}`);
  assert.is(echoes, DRAGS);
  assert.is(guard, 0);
  assert.is(after.lrD, value);
  // a new rate gives the game a new optimizer, whose moments come back at the next step: fewer, never more
  assert.ok(after.tensors <= before.tensors, `tensors grew: ${before.tensors} -> ${after.tensors}`);
  assert.ok(after.bytes <= before.bytes, `bytes grew: ${before.bytes} -> ${after.bytes}`);
});

P.run();
