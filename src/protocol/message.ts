/**
 * @file Jupyter messages (messaging protocol 5.3) as both ends of stripes see them: the header,
 * the message, the connection file, and how a new message's header is made.
 *
 * One copy for the client (src/jupyter/client.ts) and the kernel (src/kernel/), so the two can
 * never disagree about the shape of what they exchange.
 */
import { randomUUID } from "node:crypto";
import * as os from "node:os";

export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message<C = any> {
  header: MessageHeader;
  /** The request's header, or `{}` for a message nobody asked for. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  /** Binary frames after the four JSON ones (comm messages, widget state). */
  buffers?: Uint8Array[];
}

/** A message as it travels: routing ids (shell/control ROUTER), then the message. */
export interface Envelope {
  ids: Buffer[];
  msg: Message;
}

/** The connection file Jupyter writes for a kernel (jupyter_client docs/kernels.rst). */
export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name?: string;
}

let cachedUser: string | undefined;
function username(): string {
  try {
    cachedUser ??= os.userInfo().username;
  } catch {
    cachedUser = "stripes"; // no passwd entry (some containers)
  }
  return cachedUser;
}

/** A fresh header of `msgType` in `session` (`msgId` given when the caller must know it first). */
export function newHeader(msgType: string, session: string, msgId: string = randomUUID()): MessageHeader {
  return {
    msg_id: msgId,
    session,
    username: username(),
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** A message of `msgType` answering or caused by `parent` (kernel side: replies, iopub). */
export function childMessage(parent: Message | undefined, msgType: string, content: object, session: string, metadata: Record<string, unknown> = {}, buffers?: Uint8Array[]): Message {
  return {
    header: newHeader(msgType, session),
    parent_header: parent?.header ?? {},
    metadata,
    content,
    ...(buffers && buffers.length > 0 ? { buffers } : {}),
  };
}
