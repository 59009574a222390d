/**
 * @file The kernel core's Transport in the Node process: replies and iopub messages become
 * complete Jupyter messages here (header, this kernel's session) and go to the socket thread
 * (io.ts), which signs them and sends them on the ZeroMQ socket of their channel.
 */
import { randomUUID } from "node:crypto";
import { childMessage, type Message } from "../protocol/message";
import type { Incoming, Transport } from "../kernelCore/transport";
import type { ToIo } from "./ioMessages";

/** A request from the socket thread: the core's fields, and the ROUTER ids to answer it with. */
export interface IoRequest extends Incoming {
  ids: Uint8Array[];
}

export class NodeTransport implements Transport<IoRequest> {
  /** One session for every message this kernel sends (the socket thread uses it too). */
  readonly session = randomUUID();

  constructor(private readonly post: (m: ToIo) => void) {}

  reply(request: IoRequest, msgType: string, content: object): void {
    this.post({ type: "send", channel: request.channel, ids: request.ids, msg: childMessage(request.msg, msgType, content, this.session) });
  }

  publish(parent: Message | undefined, msgType: string, content: object, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void {
    this.post({ type: "send", channel: "iopub", ids: [], msg: childMessage(parent, msgType, content, this.session, metadata, buffers) });
  }
}
