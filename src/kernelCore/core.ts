/**
 * @file The kernel core: one handler per Jupyter request (xeus's `*_request_impl` style), the
 * request loop (requestLoop.ts) they run in, and where a cell's outputs go. It is the kernel's
 * behaviour, once, with no platform in it: cells run through a CellRunner (cellRunner.ts),
 * messages leave through a Transport (transport.ts). The Node kernel process (src/kernel/main.ts)
 * wires it to ZeroMQ and tslab; a browser worker can wire it to postMessage and a compiler of
 * its own.
 *
 * Outputs: stdout/stderr text handed to `stream`, stripes' `display` (the notebook/ layer's
 * display sink, installed by `attachOutputs`) and comm messages (notebook/comms.ts) are all
 * published parented to the request being served, or the last one served, for output from
 * callbacks after a cell ended (as ipykernel does).
 */
import type { Message } from "../protocol/message";
import { commManager, type CommManager, type CommMsgType } from "../notebook/comms";
import { mimeBundle, type DisplaySink } from "../notebook/display";
import { KERNEL_SINK } from "../notebook/slots";
import type { CellRunner } from "./cellRunner";
import { memoryLine, type MemoryProbe } from "./memoryGuard";
import { RequestLoop, type RequestContext, type Route } from "./requestLoop";
import type { Clock, Incoming, Transport } from "./transport";

export interface KernelCoreOptions<R extends Incoming = Incoming> {
  runner: CellRunner;
  transport: Transport<R>;
  /** kernel_info_reply's content (kernelInfo.ts). */
  kernelInfo: object;
  /** The kernel's own log (not a cell's output): Jupyter's log in Node, the console in a browser. */
  log(text: string): void;
  /** The notebook's `memory()` report, for the after-cell memory line; absent: no line. */
  probeMemory?(): MemoryProbe | undefined;
  /**
   * Called by shutdown_request's handler before its reply is sent: end the kernel after the
   * reply is on its way (defer it). Restarting is the front end's job (a new kernel).
   */
  onShutdown(restart: boolean): void;
  clock?: Clock;
}

interface ExecuteContent {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  stop_on_error?: boolean;
}

export class KernelCore<R extends Incoming = Incoming> {
  readonly loop: RequestLoop<R>;
  readonly comms: CommManager;
  private readonly runner: CellRunner;
  private readonly log: (text: string) => void;
  private executionCount = 0;

  constructor(private readonly options: KernelCoreOptions<R>) {
    this.runner = options.runner;
    this.log = options.log;
    this.loop = new RequestLoop(options.transport, this.routes(), options.log, options.clock);
    this.comms = commManager();
  }

  /** The message type → handler table the loop dispatches on. */
  private routes(): Record<string, Route> {
    const routes: Record<string, Route> = {
      kernel_info_request: { reply: "kernel_info_reply", handle: () => this.kernelInfoRequest() },
      execute_request: { reply: "execute_reply", handle: (req, ctx) => this.executeRequest(req, ctx) },
      is_complete_request: { reply: "is_complete_reply", handle: (req) => this.isCompleteRequest(req) },
      complete_request: { reply: "complete_reply", handle: (req) => this.completeRequest(req) },
      inspect_request: { reply: "inspect_reply", handle: (req) => this.inspectRequest(req) },
      history_request: { reply: "history_reply", handle: () => this.historyRequest() },
      comm_info_request: { reply: "comm_info_reply", handle: (req) => this.commInfoRequest(req) },
      shutdown_request: { reply: "shutdown_reply", handle: (req) => this.shutdownRequest(req) },
      interrupt_request: { reply: "interrupt_reply", handle: () => this.interruptRequest() },
    };
    for (const type of ["comm_open", "comm_msg", "comm_close"] as const) {
      routes[type] = { handle: (req) => this.commRequest(type, req) };
    }
    return routes;
  }

  /**
   * Routes every output to the transport: stripes' display sink (a slot every copy of stripes
   * reads) and the comm manager. Call once, before cells run.
   */
  attachOutputs(): void {
    (globalThis as any)[KERNEL_SINK] = this.displaySink;
    this.comms.attach({ send: (msgType, content, metadata, buffers) => this.publish(msgType, content, metadata as Record<string, unknown>, buffers) });
  }

  /** Begins serving requests (those received before wait in the queue). */
  start(): void {
    this.loop.start();
  }

  /** A request from the transport, in arrival order. */
  receive(request: R): void {
    this.loop.receive(request);
  }

  /** Ends the running cell (the platform's interrupt: a signal in Node). */
  interrupt(): void {
    this.runner.interrupt();
  }

  /** Publishes on iopub, parented to the request being served (or the last one). */
  publish(msgType: string, content: object, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void {
    this.loop.publish(this.loop.current, msgType, content, metadata, buffers);
  }

  /** Text a cell printed. */
  stream(name: "stdout" | "stderr", text: string): void {
    if (text !== "") this.publish("stream", { name, text });
  }

  /** Where displays go (`display(…)`, a handle's update). */
  readonly displaySink: DisplaySink = {
    send: (content, update) => this.publish(update ? "update_display_data" : "display_data", content),
  };

  kernelInfoRequest(): object {
    return this.options.kernelInfo;
  }

  async executeRequest(req: Message, ctx: RequestContext): Promise<object> {
    const c = req.content as ExecuteContent;
    const silent = c.silent === true;
    if (!silent && c.store_history !== false) this.executionCount++;
    const count = this.executionCount;
    if (!silent) ctx.publish("execute_input", { code: c.code, execution_count: count });
    const before = this.probeMemory();
    const r = await this.runner.execute(c.code);
    if (r.status === "ok" && r.hasValue && !silent) ctx.publish("execute_result", { execution_count: count, data: mimeBundle(r.value), metadata: {} });
    try {
      this.runner.freeUnheld(r.status === "ok" ? r.value : undefined);
    } catch (err) {
      this.log(`freeing replaced tensors failed: ${(err as Error)?.stack ?? err}`);
    }
    const after = before && this.probeMemory();
    const line = before && after ? memoryLine(before, after, count) : undefined;
    if (r.status === "error") ctx.publish("error", r.error);
    if (line) ctx.publish("stream", { name: "stderr", text: line + "\n" }); // after the cell's own output
    if (r.status === "ok") return { status: "ok", execution_count: count, user_expressions: {}, payload: [] };
    if (c.stop_on_error !== false) this.loop.abortQueued();
    return { status: "error", execution_count: count, ...r.error };
  }

  isCompleteRequest(req: Message): object {
    return this.runner.isComplete(req.content.code);
  }

  completeRequest(req: Message): object {
    return { status: "ok", ...this.runner.complete(req.content.code, req.content.cursor_pos), metadata: {} };
  }

  inspectRequest(req: Message): object {
    const text = this.runner.inspect(req.content.code, req.content.cursor_pos);
    return text === undefined ? { status: "ok", found: false, data: {}, metadata: {} } : { status: "ok", found: true, data: { "text/plain": text }, metadata: {} };
  }

  historyRequest(): object {
    return { status: "ok", history: [] };
  }

  commInfoRequest(req: Message): object {
    return { status: "ok", comms: this.comms.info(req.content.target_name) };
  }

  shutdownRequest(req: Message): object {
    const restart = req.content.restart === true;
    this.options.onShutdown(restart);
    return { status: "ok", restart };
  }

  /** On control. (The Node kernel answers it on its socket thread and signals instead.) */
  interruptRequest(): object {
    this.runner.interrupt();
    return { status: "ok" };
  }

  /** comm_open / comm_msg / comm_close: no reply; an unknown target or id is answered with comm_close. */
  commRequest(type: CommMsgType, req: Message): undefined {
    this.comms.handle(type, req.content, req.buffers ?? []);
    return undefined;
  }

  /** The memory report, or undefined; it never fails a cell. */
  private probeMemory(): MemoryProbe | undefined {
    try {
      return this.options.probeMemory?.();
    } catch (err) {
      this.log(`memory() failed: ${(err as Error)?.message ?? err}`);
      return undefined;
    }
  }
}
