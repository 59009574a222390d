/**
 * The kernel's memory guard and `memory()` (src/kernelCore/memoryGuard.ts, memory.ts) and an
 * allocation past the wasm heap (src/heap.ts), through the stripes kernel as a notebook meets
 * them: a cell that leaves tensors no name holds gets one line after its output; a cell that keeps
 * what it assigned, re-run, gets none and does not grow memory (the previous value is freed); an
 * OutOfMemoryError is one line and the names stay.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kernel } from "../../src/jupyter/client";

const ROOT = path.join(__dirname, "..", "..");
const M = suite("kernel memory guard");
let k: Kernel;
let dir: string;

interface Ran {
  status: string;
  stdout: string;
  stderr: string;
  result?: string;
  traceback?: string[];
}

async function run(code: string): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  let result: string | undefined;
  let traceback: string[] | undefined;
  const reply = await k.execute(code, {
    onIopub: (m) => {
      if (m.header.msg_type === "stream") {
        if (m.content.name === "stdout") stdout += m.content.text;
        else stderr += m.content.text;
      }
      if (m.header.msg_type === "execute_result") result = m.content.data["text/plain"];
      if (m.header.msg_type === "error") traceback = m.content.traceback;
    },
  });
  return { status: reply.status, stdout, stderr, result, traceback };
}

const numbers = async (): Promise<{ tensors: number; bytes: number; heap: number; unnamed: number }> => {
  const r = await run("{ const m = memory(); console.log(JSON.stringify({ tensors: m.tensors, bytes: m.bytes, heap: m.heap?.bytes ?? 0, unnamed: m.unnamed.tensors })); }");
  return JSON.parse(r.stdout);
};

M.before(async () => {
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-kernel-memory-"));
  const { FORCE_COLOR: _, ...env } = process.env;
  k = await Kernel.start({ cwd: dir, env });
  const r = await run('import { tf, memory, nn } from "stripes";');
  assert.is(r.status, "ok", r.stderr);
});
M.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

M("a loop that makes tensors outside tf.tidy: one line naming the cell, the tensors, the MB and what to do", async () => {
  const before = await numbers();
  const r = await run("for (let i = 0; i < 100; i++) tf.randomNormal([256, 256]);");
  const after = await numbers();
  console.log(`  leaking cell: tensors ${before.tensors} -> ${after.tensors}, bytes ${before.bytes} -> ${after.bytes}, wasm heap ${before.heap} -> ${after.heap}`);
  assert.is(r.status, "ok");
  const lines = r.stderr.split("\n").filter(Boolean);
  assert.is(lines.length, 1, r.stderr);
  // 100 tensors of 256 x 256 float32: 100 x 262,144 bytes
  assert.match(lines[0], /^memory: cell \[\d+\] left 100 tensors \(26\.2 MB\) that no name holds; they stay until disposed: wrap the work in tf\.tidy\(\(\) => …\), call \.dispose\(\), or run stripes\.memory\(\) to see what holds memory/);
  assert.is(after.tensors - before.tensors, 100);
  assert.is(after.bytes - before.bytes, 100 * 256 * 256 * 4);
  assert.not.match(r.stderr, /\n\s+at /, "no stack trace");
  const tidy = await run("tf.tidy(() => { for (let i = 0; i < 100; i++) tf.randomNormal([256, 256]); });");
  assert.is(tidy.stderr, "", "the same work inside tf.tidy leaves nothing");
});

M("a cell that keeps what it assigned, re-run 5 times: no line, and the replaced tensors are freed", async () => {
  await run("const netG = new nn.Sequential(new nn.Conv2d(3, 4, 3, { padding: 1 }), new nn.ReLU());\nconst batch_t = tf.randomNormal([1, 3, 32, 32]);");
  const first = await run("const batch_out = netG.forward(batch_t);");
  assert.is(first.stderr, "");
  const base = await numbers();
  for (let i = 0; i < 5; i++) {
    const again = await run("const batch_out = netG.forward(batch_t);");
    assert.is(again.status, "ok");
    assert.is(again.stderr, "", `re-run ${i + 2} is silent`);
  }
  const after = await numbers();
  assert.equal([after.tensors, after.bytes], [base.tensors, base.bytes], "re-running does not grow memory");
  const shown = await run("batch_out.shape");
  assert.is(shown.stderr, "");
  const value = await run("tf.ones([2, 2])"); // a displayed last value no name holds is freed
  assert.is(value.stderr, "");
  assert.is((await numbers()).tensors, base.tensors);
});

M("memory(): tensors, bytes, the heap, and which names hold what, most bytes first", async () => {
  const r = await run("const m = memory();\nconsole.log(JSON.stringify([m.backend, m.names.slice(0, 3), m.unnamed.tensors >= 100, m.heap === undefined || m.heap.limit === 2 ** 32]));");
  const [backend, names, leaked, heapOk] = JSON.parse(r.stdout);
  assert.ok(["wasm", "tensorflow", "cpu"].includes(backend));
  assert.equal(names, [
    { name: "batch_t", tensors: 1, bytes: 3 * 32 * 32 * 4 },
    { name: "batch_out", tensors: 1, bytes: 4 * 32 * 32 * 4 },
    { name: "netG", tensors: 2, bytes: (4 * 3 * 3 * 3 + 4) * 4 },
  ].sort((a, b) => b.bytes - a.bytes));
  assert.ok(leaked, "the first test's 100 tensors are still unnamed");
  assert.ok(heapOk);
});

M("a failing cell that leaked: its error, then the line", async () => {
  const r = await run('tf.ones([10]);\nconst lost = [tf.ones([10]), tf.ones([10])].map((t) => t.add(1));\nthrow new Error("boom");');
  assert.is(r.status, "error");
  assert.equal(r.traceback![0], "Error: boom");
  // tf.ones([10]), and the two tf.ones under `lost` (which the failing cell keeps: its statement ran)
  assert.match(r.stderr, /^memory: cell \[\d+\] left 3 tensors \(120 B\)/, r.stderr);
});

M("an allocation past the wasm heap: one line with the size asked and the limit; the kernel keeps its names", async () => {
  const probe = await run("tf.getBackend()");
  if (probe.result !== "wasm") return console.log(`  (backend ${probe.result}: the wasm heap is not in use)`);
  const r = await run("const huge = tf.zeros([1 << 30, 2]);");
  assert.is(r.status, "error");
  assert.equal(r.traceback, [
    "OutOfMemoryError: out of memory: a tensor needs 8.59 GB, and the wasm heap (" +
      /\(([^)]*) now\)/.exec(r.traceback![0])![1] +
      " now) cannot grow past 4.29 GB; dispose() tensors you no longer need, wrap work in tf.tidy, or use a smaller size",
  ]);
  const after = await run("batch_out.shape.join('x')");
  assert.is(after.result, "1x4x32x32");
});

M.run();
