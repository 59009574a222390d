/**
 * @file What the kernel's main thread and its socket thread (io.ts) say to each other.
 * Routing ids travel as Uint8Array (postMessage copies Buffers as such).
 */
import type { Message } from "../protocol/message";

export type ToIo =
  | { type: "send"; channel: "shell" | "control" | "iopub"; ids: Uint8Array[]; msg: Message }
  | { type: "kernelInfo"; content: object }
  | { type: "close" };

export type FromIo =
  | { type: "ready" }
  | { type: "request"; channel: "shell" | "control"; ids: Uint8Array[]; msg: Message; arrived: number }
  | { type: "log"; text: string }
  | { type: "fatal"; text: string }
  | { type: "closed" };
