/**
 * @file A learner's long session, scripted (too long for `npm test`; `.ci/run` can call it):
 *
 *   npx ts-node -T scripts/soak.ts [--reruns 200] [--size 256]
 *
 * 1. Lesson 01 on a full-size generator (ngf 64, 9 blocks, the article's sizes; its weights are
 *    written now with stripes' own torch.save, so no 45 MB file is committed): the cells up to
 *    `forward`, then the forward cell re-run N times (200 by default) in one kernel. Memory must
 *    stay bounded: the live tensors and their bytes the same after the last run as after the first
 *    (each re-run frees the previous `batch_out`), the wasm heap within 10% of its size after the
 *    first re-run, the kernel's resident memory printed, no memory-guard line, the kernel alive.
 *    `--size N` makes the preprocess cell's `Resize(256)` a `Resize(N)`: the weights stay full-size
 *    and what is measured is memory, not the picture, so `.ci/run` soaks at 64 px (a forward at
 *    256 px takes seconds on a loaded 2-core machine; 200 of them would take over 17 minutes).
 * 2. A cell that prints 100 MB: every byte arrives, the kernel stays usable.
 * 3. A widget comm_msg for a comm that was closed: answered with comm_close, nothing else breaks.
 *
 * Prints each measured number and ends with "soak: ok" (exit 0) or "soak: FAILED …" (exit 1).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { ready } from "../src/backend";
import { ResNetGenerator } from "../src/models";
import { save } from "../src/torch";
import { Kernel, type Message } from "../src/jupyter/client";
import { joinLines, readNotebook } from "../src/jupyter/nbformat";

const ROOT = path.join(__dirname, "..");
const argReruns = process.argv.indexOf("--reruns");
const RERUNS = argReruns > 0 ? Number(process.argv[argReruns + 1]) : 200;
const argSize = process.argv.indexOf("--size");
const SIZE = argSize > 0 ? Number(process.argv[argSize + 1]) : 256;
const badArg = !Number.isInteger(RERUNS) || RERUNS < 1 ? `--reruns wants a whole number of at least 1, not ${process.argv[argReruns + 1]}` : !Number.isInteger(SIZE) || SIZE < 8 ? `--size wants a whole number of pixels, at least 8, not ${process.argv[argSize + 1]}` : "";
if (badArg) {
  console.error(`soak: ${badArg}`);
  process.exit(2);
}
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "  ok " : "  FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

interface Ran {
  status: string;
  stdout: string;
  stderr: string;
  bytes: number;
}

async function run(k: Kernel, code: string, timeoutMs = 600_000): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  let bytes = 0;
  const reply = await k.execute(code, {
    timeoutMs,
    onIopub: (m: Message) => {
      if (m.header.msg_type !== "stream") return;
      bytes += Buffer.byteLength(m.content.text);
      if (m.content.name === "stdout") {
        if (stdout.length < 10_000) stdout += m.content.text;
      } else stderr += m.content.text;
    },
  });
  if (reply.status !== "ok") stderr += JSON.stringify(reply);
  return { status: reply.status, stdout, stderr, bytes };
}

const PROBE =
  '{ const m = require("stripes").memory(); console.log(JSON.stringify({ tensors: m.tensors, bytes: m.bytes, heap: m.heap?.bytes ?? 0, unheld: m.unnamed.tensors, rss: process.memoryUsage().rss })); }';
type Probe = { tensors: number; bytes: number; heap: number; unheld: number; rss: number };
const probe = async (k: Kernel): Promise<Probe> => JSON.parse((await run(k, PROBE)).stdout);
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

function kernelEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _, ...env } = process.env;
  return { ...env, STRIPES_FETCH_BASE: "http://127.0.0.1:9/", ...extra };
}

async function forwardReruns(work: string): Promise<void> {
  console.log(`soak 1: lesson 01's forward cell re-run ${RERUNS} times on a full-size generator, the picture resized to ${SIZE} px`);
  console.log(`  bound: live tensors and bytes the same after the last re-run as before the first; wasm heap at most 10% above its size after the first re-run`);
  await ready();
  const weights = path.join(work, "horse2zebra-full.pth");
  const netG = new ResNetGenerator(3, 3, 64, 9);
  save(netG.stateDict(), weights);
  tf.dispose(netG.parameters());
  console.log(`  weights written with torch.save: ${mb(fs.statSync(weights).size)}`);
  const nb = readNotebook(path.join(ROOT, "notebooks", "01-horse-to-zebra.ipynb"));
  const cells = nb.cells.filter((c) => c.cell_type === "code").map((c) => ({ id: c.id, code: joinLines(c.source) }));
  if (SIZE !== 256) {
    const pre = cells.find((c) => c.code.includes("transforms.Resize(256)"));
    if (!pre) throw new Error("lesson 01 has no cell with transforms.Resize(256) for --size to change");
    pre.code = pre.code.replace("transforms.Resize(256)", `transforms.Resize(${SIZE})`);
  }
  const upTo = cells.findIndex((c) => c.id === "forward");
  const cache = path.join(work, "cache");
  const k = await Kernel.start({ cwd: path.join(ROOT, "notebooks"), env: kernelEnv({ STRIPES_WEIGHTS: weights, STRIPES_IMAGE: path.join(ROOT, "test", "fixtures", "notebook", "meadow.png"), STRIPES_CACHE: cache }) });
  try {
    for (const c of cells.slice(0, upTo + 1)) {
      const r = await run(k, c.code);
      if (r.status !== "ok") throw new Error(`cell ${c.id} failed: ${r.stderr.slice(0, 500)}`);
    }
    const forward = cells[upTo].code;
    const first = await probe(k);
    console.log(`  before the re-runs: ${first.tensors} tensors, ${mb(first.bytes)}, wasm heap ${mb(first.heap)}, kernel RSS ${mb(first.rss)}`);
    let guardLines = 0;
    const began = Date.now();
    let afterOne: Probe | undefined;
    for (let i = 1; i <= RERUNS; i++) {
      const r = await run(k, forward);
      if (r.status !== "ok") throw new Error(`re-run ${i} failed: ${r.stderr.slice(0, 500)}`);
      if (/memory: cell/.test(r.stderr)) guardLines++;
      if (i === 1) afterOne = await probe(k);
      if (i % 50 === 0 || i === RERUNS) {
        const p = await probe(k);
        console.log(`  after ${i} re-runs: ${p.tensors} tensors, ${mb(p.bytes)}, wasm heap ${mb(p.heap)}, kernel RSS ${mb(p.rss)} (${((Date.now() - began) / i / 1000).toFixed(2)} s per run)`);
      }
    }
    const last = await probe(k);
    console.log(`  first: ${first.tensors} tensors, ${mb(first.bytes)}, heap ${mb(first.heap)}, RSS ${mb(first.rss)}; last: ${last.tensors} tensors, ${mb(last.bytes)}, heap ${mb(last.heap)}, RSS ${mb(last.rss)}`);
    check(last.tensors === first.tensors && last.bytes === first.bytes, `live tensors and bytes unchanged over ${RERUNS} re-runs (${first.tensors} -> ${last.tensors}, ${mb(first.bytes)} -> ${mb(last.bytes)})`);
    check(last.heap <= afterOne!.heap * 1.1, `wasm heap bounded: ${mb(afterOne!.heap)} after 1 re-run, ${mb(last.heap)} after ${RERUNS}`);
    check(guardLines === 0, `no memory-guard line (${guardLines})`);
    check((await run(k, "1 + 1")).status === "ok", "the kernel is alive");
  } finally {
    await k.shutdown();
  }
}

async function bigPrintAndClosedComm(work: string): Promise<void> {
  console.log("soak 2: a cell that prints 100 MB; a comm_msg for a closed comm");
  const k = await Kernel.start({ cwd: path.join(ROOT, "notebooks"), env: kernelEnv({ STRIPES_CACHE: path.join(work, "cache") }) });
  try {
    const began = Date.now();
    const r = await run(k, 'const line = "x".repeat(999) + "\\n";\nfor (let i = 0; i < 100_000; i++) process.stdout.write(line);', 600_000);
    console.log(`  100 MB printed in ${((Date.now() - began) / 1000).toFixed(1)} s; ${r.bytes.toLocaleString("en")} bytes arrived`);
    check(r.status === "ok" && r.bytes === 100_000_000, "every byte of the 100 MB arrived");
    check((await run(k, "1 + 1")).status === "ok", "the kernel is usable after it");
    const opened = await run(k, 'import { widgets } from "stripes";\nconst s = new widgets.IntSlider({ value: 1 });\nconsole.log(s.modelId ?? (s as any).comm_id ?? (s as any).id);\ns.close();');
    const id = opened.stdout.trim();
    const { iopub: closedReply } = await k.request("comm_msg", { comm_id: id, data: { method: "update", state: { value: 5 }, buffer_paths: [] } }, { expectReply: false });
    const answered = closedReply.some((m) => m.header.msg_type === "comm_close" && m.content.comm_id === id);
    check(id !== "" && answered, `a comm_msg to closed comm ${id} is answered with comm_close`);
    check((await run(k, "2 + 2")).status === "ok", "the kernel is usable after it");
  } finally {
    await k.shutdown();
  }
}

(async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-soak-"));
  try {
    await forwardReruns(work);
    await bigPrintAndClosedComm(work);
  } catch (err) {
    failures.push((err as Error).message);
    console.log(`  FAIL ${(err as Error).message}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(failures.length === 0 ? "soak: ok" : `soak: FAILED (${failures.length}): ${failures.join("; ")}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
})();
