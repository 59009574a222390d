/**
 * @file The kernel core's Transport in a Web Worker: replies and iopub messages become whole
 * Jupyter messages here (header, this kernel's session) and are posted to the page (protocol.ts).
 */
import type { Incoming, Transport } from "../../kernelCore/transport";
import type { Message } from "../../protocol/message";
import type { FromWorker, WireMessage } from "./protocol";

/** A random id: crypto.randomUUID exists only in secure contexts; getRandomValues everywhere. */
export function newId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID().replace(/-/g, "");
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class WorkerTransport implements Transport<Incoming> {
  readonly session = newId();

  constructor(private readonly post: (m: FromWorker) => void) {}

  message(parent: Message | undefined, msgType: string, content: object, metadata: Record<string, unknown> = {}, buffers?: Uint8Array[]): WireMessage {
    return {
      header: { msg_id: newId(), msg_type: msgType, session: this.session, username: "stripes", date: new Date().toISOString(), version: "5.3" },
      parent_header: (parent?.header ?? {}) as WireMessage["parent_header"],
      metadata,
      content,
      ...(buffers && buffers.length > 0 ? { buffers } : {}),
    };
  }

  reply(request: Incoming, msgType: string, content: object): void {
    this.post({ type: "reply", channel: request.channel, msg: this.message(request.msg, msgType, content) });
  }

  publish(parent: Message | undefined, msgType: string, content: object, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void {
    this.post({ type: "publish", msg: this.message(parent, msgType, content, metadata, buffers) });
  }
}
