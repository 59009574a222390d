/**
 * @file What the kernel core needs from the platform it runs on, kept small so that a second
 * platform is a few functions: the Node process implements these with ZeroMQ on a socket thread
 * (src/kernel/), a browser Web Worker would implement them with postMessage.
 */
import type { Message } from "../protocol/message";

/** A request as the core sees it. A transport may carry more (routing ids) on the same object. */
export interface Incoming {
  channel: "shell" | "control";
  msg: Message;
  /** When it arrived (the Clock's milliseconds); stop_on_error aborts what arrived before a failure. */
  arrived: number;
}

/**
 * How messages leave the kernel. The core hands over msg_type and content; the transport makes
 * the header (msg_id, session, date), signs and routes. Both must keep the order of calls.
 */
export interface Transport<R extends Incoming = Incoming> {
  /** Answers `request` on its own channel. */
  reply(request: R, msgType: string, content: object): void;
  /** Publishes on iopub, parented to `parent` (none: a message nobody asked for). */
  publish(parent: Message | undefined, msgType: string, content: object, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void;
}

/** Milliseconds, for arrival times (`Date` itself is one). */
export interface Clock {
  now(): number;
}
