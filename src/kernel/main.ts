#!/usr/bin/env node
/**
 * @file The stripes kernel's entry point.
 *
 * argv (what a kernelspec's kernel.json runs; `{connection_file}` is Jupyter's placeholder):
 *
 *     [<absolute node>, "<package>/dist/kernel/main.js", "{connection_file}"]
 *
 * and `"interrupt_mode": "message"`: Stop arrives as `interrupt_request` on control, which the socket
 * thread gets even while a cell blocks this one (SIGINT, signal mode, works as well).
 * The working directory is the notebook's folder (Jupyter starts kernels there); packages resolve
 * from its node_modules, except `import … from "stripes"`: this package (packageAlias.ts). The process ends after a
 * shutdown_request (restart is Jupyter's job: it starts a new process).
 *
 * Start-up order: the socket thread binds at once (the heartbeat answers throughout); stripes'
 * backend choice (`ready()`) is awaited before the first request is served, so no cell ever
 * computes on tfjs's cpu backend by accident, and kernel_info's banner says which backend and how
 * many threads; then tslab's compiler loads (seconds), before the first cell compiles.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { ConnectionInfo } from "../protocol/message";
import { KernelCore } from "../kernelCore/core";
import { kernelInfoContent } from "../kernelCore/kernelInfo";
import type { MemoryProbe } from "../kernelCore/memoryGuard";
import { Interpreter, tslabDir } from "./interpreter";
import { newInterruptCells } from "../kernelCore/interruptFlag";
import { aliasEntry } from "./packageAlias";
import type { FromIo, ToIo } from "./ioMessages";
import { NodeTransport, type IoRequest } from "./nodeTransport";

function log(text: string): void {
  fs.writeSync(2, `[stripes kernel] ${text}\n`); // the real stderr: Jupyter's log, not a cell
}

function usage(problem: string): never {
  fs.writeSync(2, `stripes kernel: ${problem}\nusage: node dist/kernel/main.js <connection_file>\n`);
  process.exit(2);
}

function readConnection(file: string | undefined): ConnectionInfo {
  if (!file) usage("no connection file given");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    usage(`${file}: cannot read the connection file (${(err as Error).message})`);
  }
  try {
    const c = JSON.parse(text) as ConnectionInfo;
    if (typeof c.key !== "string" || typeof c.shell_port !== "number") throw new Error("no key or shell_port");
    if (c.signature_scheme && c.signature_scheme !== "hmac-sha256") throw new Error(`signature scheme ${c.signature_scheme} is not supported (hmac-sha256 only)`);
    return c;
  } catch (err) {
    usage(`${file}: not a Jupyter connection file (${(err as Error).message})`);
  }
}

/** stripes as the cells get it (`import … from "stripes"`, packageAlias.ts): this package. */
function stripesLibrary(): { ready(): Promise<string>; backendName(): string; memory?(): MemoryProbe; from: string } {
  const file = aliasEntry();
  return { ...require(file), from: file };
}

function threadsOf(backend: string, from: string): string {
  if (backend === "wasm") {
    try {
      const wasm = Module.createRequire(from)("@tensorflow/tfjs-backend-wasm");
      const n = wasm.getThreadsCount?.() ?? 1;
      return `${n} thread${n === 1 ? "" : "s"}`;
    } catch {
      return "1 thread";
    }
  }
  if (backend === "tensorflow") return "libtensorflow's threads";
  return "1 thread";
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const js = args.includes("--js");
  const connection = readConnection(args.find((a) => !a.startsWith("--")));
  let interpreter: Interpreter | undefined;
  // Before anything slow: without a SIGINT listener an interrupt while idle would kill Node.
  process.on("SIGINT", () => interpreter?.interrupt());

  const session = { post: (_m: ToIo) => {} };
  const transport = new NodeTransport((m) => session.post(m));
  const interruptCells = newInterruptCells(); // the socket thread sets it, the cells' loops read it
  const io = new Worker(path.join(__dirname, "io.js"), { workerData: { connection, session: transport.session, interruptCells } });
  session.post = (m) => io.postMessage(m);
  // The core is made once the backend and the interpreter are; requests wait here till then.
  let core: KernelCore<IoRequest> | undefined;
  const early: IoRequest[] = [];
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    try {
      interpreter?.close();
    } catch {
      // closing the compiler's watchers is best effort
    }
    io.postMessage({ type: "close" });
    setTimeout(() => process.exit(code), 1000).unref(); // if the socket thread hangs
  };
  io.on("message", (m: FromIo) => {
    if (m.type === "request") {
      const request: IoRequest = { channel: m.channel, ids: m.ids, msg: m.msg, arrived: m.arrived };
      if (core) core.receive(request);
      else early.push(request);
    } else if (m.type === "log") log(m.text);
    else if (m.type === "fatal") {
      log(m.text);
      process.exit(1);
    } else if (m.type === "closed") process.exit(0);
  });
  io.on("error", (err: Error) => {
    log(`socket thread failed: ${err.stack ?? err}`);
    process.exit(1);
  });

  // Everything a cell prints goes to the request being served (or the last one, for output from
  // callbacks after a cell ended, as ipykernel does).
  const stream = (name: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (core) core.stream(name, text);
      else if (text !== "") transport.publish(undefined, "stream", { name, text });
      const done = typeof encoding === "function" ? encoding : cb;
      if (typeof done === "function") (done as () => void)();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = stream("stdout");
  process.stderr.write = stream("stderr");
  process.on("uncaughtException", (err) => console.error("Uncaught (in a callback after its cell):", err));
  process.on("unhandledRejection", (reason) => console.error("Unhandled promise rejection (in a callback after its cell):", reason));

  const cwd = process.cwd();
  const lib = stripesLibrary();
  let backendLine: string;
  try {
    const backend = await lib.ready();
    backendLine = `tfjs backend: ${backend} (${threadsOf(backend, lib.from)})`;
  } catch (err) {
    backendLine = `tfjs backend: NOT READY (${(err as Error).message})`;
    log(backendLine);
  }
  interpreter = new Interpreter(cwd, { js, interruptCells });
  const it = interpreter;

  const version = require("../../package.json").version as string;
  const kernelInfo = kernelInfoContent({
    version,
    js,
    languageVersion: js ? process.versions.node : it.typescriptVersion,
    banner: `stripes ${version} kernel: ${js ? "JavaScript" : `TypeScript ${it.typescriptVersion} (tslab's compiler)`} on Node ${process.version}; ${backendLine}`,
  });
  io.postMessage({ type: "kernelInfo", content: kernelInfo });

  core = new KernelCore<IoRequest>({
    runner: it,
    transport,
    kernelInfo,
    log,
    // The memory guard reads the notebook's own stripes (its tfjs is the cells'); an older copy
    // without memory() leaves it off.
    probeMemory: () => lib.memory?.(),
    onShutdown: () => setImmediate(() => exit(0)), // after the reply is on its way
  });
  // Displays: stripes' display, and tslab's (`import * as tslab from "tslab"` in a cell).
  core.attachOutputs();
  const displaySink = core.displaySink;
  require(path.join(tslabDir(), "dist", "jupyter.js")).lastWriteDisplayData = (content: any, update: boolean) => displaySink.send(content, update);
  for (const request of early.splice(0)) core.receive(request);
  core.start();
  // The compiler loads after the first replies are out (it blocks this thread for seconds), so a
  // front end's start-up timeout counts the backend, not the compiler; cells wait for it.
  setTimeout(() => it.warm(), 50);
}

main().catch((err) => {
  log(`could not start: ${err?.stack ?? err}`);
  process.exit(1);
});
