/**
 * Can tfjs-backend-wasm use threads in Node? Prints what happens when we ask for 2.
 *
 *     npx ts-node bench/wasm-threads.ts
 *
 * tfjs 4.22 answers WASM_HAS_MULTITHREAD_SUPPORT with `false` whenever IS_NODE (tfjs issue #3830),
 * so `setThreadsCount` is ignored and the single-threaded SIMD binary loads. Here we also force
 * the flag, to see whether the threaded binary would run: its pthread workers are created from
 * blob: URLs, which Node's worker_threads refuses, so initialisation fails.
 *
 * That is tfjs's own factory. stripes' (src/backend.ts, `STRIPES_THREADS=2`) runs the same
 * threaded binary in Node; bench/wasm-pool.ts measures how much its second thread computes, and
 * bench/threads.ts the whole scaling table.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as wasm from "@tensorflow/tfjs-backend-wasm";

async function main() {
  const force = process.argv[2] === "force";
  if (force) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasm.setThreadsCount(2);
  const detected = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
  const [originalError, originalWarn] = [console.error, console.warn];
  const errors: string[] = [];
  console.error = console.warn = (...args: unknown[]) => errors.push(args.map(String).join(" ").split("\n")[0]);
  let ok = false;
  try {
    ok = await tf.setBackend("wasm");
  } catch (err) {
    errors.push(String(err));
  }
  [console.error, console.warn] = [originalError, originalWarn];
  const threads = ok ? wasm.getThreadsCount() : 0;
  console.log(
    `${force ? "forced" : "default"}: multithread flag ${detected}, backend ${ok ? "wasm up" : "failed"}, threads ${threads}` +
      (errors.length ? `\n  ${errors.slice(0, 2).join("\n  ")}` : ""),
  );
}

if (process.argv[2] === undefined) {
  // Each attempt in its own process: a failed wasm initialisation cannot be retried in one.
  const { execFileSync } = require("node:child_process");
  for (const mode of ["default", "force"]) {
    try {
      process.stdout.write(execFileSync(process.execPath, ["-r", "ts-node/register", __filename, mode], { encoding: "utf8", timeout: 60000 }));
    } catch (err: any) {
      process.stdout.write(`${mode}: process failed: ${String(err.stdout ?? err).split("\n")[0]}\n`);
    }
  }
} else {
  main().then(() => process.exit(0));
}
