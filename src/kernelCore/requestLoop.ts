/**
 * @file The kernel's request loop, transport-free: shell requests strictly one at a time in
 * arrival order, each wrapped in iopub `status: busy` … `status: idle` by the loop itself (a
 * handler cannot forget it), replies sent before idle. How messages arrive and leave (ZeroMQ and
 * signing on a socket thread in Node, postMessage in a browser worker) is the Transport's
 * business (transport.ts); what runs cells is reached through the handlers (handlers.ts).
 *
 * stop_on_error (ipykernel's rule): when an execute_request fails, execute_requests that had
 * already arrived get busy, a reply of exactly `{status: "aborted"}` and idle, without running.
 * Control requests are served at once, not behind shell work, and get no busy/idle, so the kernel
 * shows busy exactly while shell work runs.
 */
import type { Message } from "../protocol/message";
import { setCurrentParent } from "../notebook/parent";
import type { Clock, Incoming, Transport } from "./transport";

/** What a handler may do besides returning its reply content. */
export interface RequestContext {
  readonly request: Message;
  /** Publishes on iopub, parented to this request. */
  publish(msgType: string, content: object, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void;
}

/** Returns the reply content, or undefined for messages that have no reply (comm_msg…). */
export type Handler = (request: Message, ctx: RequestContext) => Promise<object | undefined> | object | undefined;

export interface Route {
  /** The reply's msg_type (none for comm messages). */
  reply?: string;
  handle: Handler;
}

export class RequestLoop<R extends Incoming = Incoming> {
  private readonly queue: R[] = [];
  private running = false;
  private abortArrivedBefore = -Infinity;
  /** The request whose outputs late output (callbacks, timers) is parented to: the last one run. */
  current: Message | undefined;
  private started = false;

  constructor(
    private readonly transport: Transport<R>,
    readonly routes: Record<string, Route>,
    private readonly log: (text: string) => void,
    private readonly clock: Clock = Date,
  ) {}

  /** Begins serving: requests that arrived before this wait in the queue. */
  start(): void {
    this.started = true;
    void this.drain();
  }

  publish(parent: Message | undefined, msgType: string, content: object, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void {
    this.transport.publish(parent, msgType, content, metadata, buffers);
  }

  /** A request from the transport. */
  receive(q: R): void {
    // Control does not queue behind a cell that awaits (a shutdown during a long training loop).
    if (q.channel === "control" && this.started) void this.serve(q);
    else {
      this.queue.push(q);
      void this.drain();
    }
  }

  /** Marks execute_requests that arrived up to now for abortion (stop_on_error). */
  abortQueued(): void {
    this.abortArrivedBefore = this.clock.now();
  }

  private async drain(): Promise<void> {
    if (this.running || !this.started) return;
    this.running = true;
    try {
      for (let q = this.queue.shift(); q; q = this.queue.shift()) await this.serve(q);
    } finally {
      this.running = false;
    }
  }

  private async serve(q: R): Promise<void> {
    const type = q.msg.header.msg_type;
    const shell = q.channel === "shell";
    const route = this.routes[type];
    if (shell) this.publish(q.msg, "status", { execution_state: "busy" });
    try {
      if (type === "execute_request" && q.arrived <= this.abortArrivedBefore) {
        this.transport.reply(q, "execute_reply", { status: "aborted" });
        return;
      }
      if (!route) {
        this.log(`no handler for ${q.channel} message ${type}`);
        return;
      }
      if (shell) {
        this.current = q.msg;
        setCurrentParent(q.msg.header); // for widgets' Output.capture (parent.ts)
      }
      const ctx: RequestContext = {
        request: q.msg,
        publish: (msgType, content, metadata, buffers) => this.publish(q.msg, msgType, content, metadata, buffers),
      };
      let content: object | undefined;
      try {
        content = await route.handle(q.msg, ctx);
      } catch (err) {
        // A bug in a handler: say so in the reply rather than leave the front end waiting.
        this.log(`${type} failed: ${(err as Error)?.stack ?? err}`);
        content = { status: "error", ename: "KernelError", evalue: String((err as Error)?.message ?? err), traceback: [] };
      }
      if (route.reply && content) this.transport.reply(q, route.reply, content);
    } finally {
      if (shell) this.publish(q.msg, "status", { execution_state: "idle" });
    }
  }
}
