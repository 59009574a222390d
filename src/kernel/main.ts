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
import type { ConnectionInfo, Message } from "../protocol/message";
import { commManager } from "../notebook/comms";
import { mimeBundle, type DisplaySink } from "../notebook/display";
import { KERNEL_SINK } from "../notebook/slots";
import { Interpreter, tslabDir } from "./interpreter";
import { memoryLine, type MemoryProbe } from "./memoryGuard";
import { newInterruptCells } from "./interruptFlag";
import { aliasEntry } from "./packageAlias";
import type { FromIo, ToIo } from "./ioMessages";
import { Server, type Route } from "./server";

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
  const server: Server = new Server((m) => session.post(m), {}, log);
  const interruptCells = newInterruptCells(); // the socket thread sets it, the cells' loops read it
  const io = new Worker(path.join(__dirname, "io.js"), { workerData: { connection, session: server.session, interruptCells } });
  session.post = (m) => io.postMessage(m);
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
    if (m.type === "request") server.onIo(m);
    else if (m.type === "log") log(m.text);
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
      if (text !== "") server.publish(server.current, "stream", { name, text });
      const done = typeof encoding === "function" ? encoding : cb;
      if (typeof done === "function") (done as () => void)();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = stream("stdout");
  process.stderr.write = stream("stderr");
  process.on("uncaughtException", (err) => console.error("Uncaught (in a callback after its cell):", err));
  process.on("unhandledRejection", (reason) => console.error("Unhandled promise rejection (in a callback after its cell):", reason));

  // Displays: stripes' display, and tslab's (`import * as tslab from "tslab"` in a cell).
  const displaySink: DisplaySink = {
    send: (content, update) => server.publish(server.current, update ? "update_display_data" : "display_data", content),
  };
  (globalThis as any)[KERNEL_SINK] = displaySink;
  require(path.join(tslabDir(), "dist", "jupyter.js")).lastWriteDisplayData = (content: any, update: boolean) => displaySink.send(content, update);

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
  // The memory guard reads the notebook's own stripes (its tfjs is the cells'); an older copy
  // without memory() leaves it off. It never fails a cell.
  const probeMemory = (): MemoryProbe | undefined => {
    try {
      return lib.memory?.();
    } catch (err) {
      log(`memory() failed: ${(err as Error)?.message ?? err}`);
      return undefined;
    }
  };

  const comms = commManager();
  comms.attach({ send: (msgType, content, metadata, buffers) => server.publish(server.current, msgType, content, metadata as Record<string, unknown>, buffers) });

  const version = require("../../package.json").version as string;
  const language = js ? "javascript" : "typescript";
  const kernelInfo = {
    status: "ok",
    protocol_version: "5.3",
    implementation: "stripes",
    implementation_version: version,
    language_info: {
      name: language,
      version: js ? process.versions.node : it.typescriptVersion,
      mimetype: js ? "text/javascript" : "text/typescript",
      file_extension: js ? ".js" : ".ts",
      // JupyterLab reads `mode`; classic Notebook needs name + typescript (as tslab found).
      codemirror_mode: js ? "javascript" : { mode: "typescript", name: "javascript", typescript: true },
    },
    banner: `stripes ${version} kernel: ${js ? "JavaScript" : `TypeScript ${it.typescriptVersion} (tslab's compiler)`} on Node ${process.version}; ${backendLine}`,
    help_links: [],
  };
  io.postMessage({ type: "kernelInfo", content: kernelInfo });

  let executionCount = 0;
  const routes: Record<string, Route> = {
    kernel_info_request: { reply: "kernel_info_reply", handle: () => kernelInfo },
    execute_request: {
      reply: "execute_reply",
      handle: async (req, ctx) => {
        const c = req.content as { code: string; silent?: boolean; store_history?: boolean; stop_on_error?: boolean };
        const silent = c.silent === true;
        if (!silent && c.store_history !== false) executionCount++;
        const count = executionCount;
        if (!silent) ctx.publish("execute_input", { code: c.code, execution_count: count });
        const before = probeMemory();
        const r = await it.execute(c.code);
        if (r.status === "ok" && r.hasValue && !silent) ctx.publish("execute_result", { execution_count: count, data: mimeBundle(r.value), metadata: {} });
        try {
          it.freeUnheld(r.status === "ok" ? r.value : undefined);
        } catch (err) {
          log(`freeing replaced tensors failed: ${(err as Error)?.stack ?? err}`);
        }
        const after = before && probeMemory();
        const line = before && after ? memoryLine(before, after, count) : undefined;
        if (r.status === "error") ctx.publish("error", r.error);
        if (line) ctx.publish("stream", { name: "stderr", text: line + "\n" }); // after the cell's own output
        if (r.status === "ok") return { status: "ok", execution_count: count, user_expressions: {}, payload: [] };
        if (c.stop_on_error !== false) server.abortQueued();
        return { status: "error", execution_count: count, ...r.error };
      },
    },
    is_complete_request: { reply: "is_complete_reply", handle: (req) => it.isComplete(req.content.code) },
    complete_request: {
      reply: "complete_reply",
      handle: (req) => ({ status: "ok", ...it.complete(req.content.code, req.content.cursor_pos), metadata: {} }),
    },
    inspect_request: {
      reply: "inspect_reply",
      handle: (req) => {
        const text = it.inspect(req.content.code, req.content.cursor_pos);
        return text === undefined ? { status: "ok", found: false, data: {}, metadata: {} } : { status: "ok", found: true, data: { "text/plain": text }, metadata: {} };
      },
    },
    history_request: { reply: "history_reply", handle: () => ({ status: "ok", history: [] }) },
    comm_info_request: {
      reply: "comm_info_reply",
      handle: (req) => ({ status: "ok", comms: comms.info(req.content.target_name) }),
    },
    shutdown_request: {
      reply: "shutdown_reply",
      handle: (req) => {
        setImmediate(() => exit(0)); // after the reply is on its way
        return { status: "ok", restart: req.content.restart === true };
      },
    },
  };
  for (const type of ["comm_open", "comm_msg", "comm_close"] as const) {
    routes[type] = {
      handle: (req: Message) => {
        comms.handle(type, req.content, req.buffers ?? []); // answers an unknown target or id with comm_close
        return undefined;
      },
    };
  }
  Object.assign(server.routes, routes);
  server.start();
  // The compiler loads after the first replies are out (it blocks this thread for seconds), so a
  // front end's start-up timeout counts the backend, not the compiler; cells wait for it.
  setTimeout(() => it.warm(), 50);
}

main().catch((err) => {
  log(`could not start: ${err?.stack ?? err}`);
  process.exit(1);
});
