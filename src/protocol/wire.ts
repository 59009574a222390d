/**
 * @file The wire format of Jupyter messages (jupyter_client docs/messaging.rst, "The Wire
 * Protocol"): `[ids…, "<IDS|MSG>", signature, header, parent_header, metadata, content,
 * buffers…]`, the signature being the hex HMAC-SHA256 of the four JSON frames exactly as sent
 * (empty when the key is empty). Used by the client and the kernel alike.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Envelope, Message } from "./message";

export const DELIMITER = "<IDS|MSG>";
const DELIMITER_BYTES = Buffer.from(DELIMITER);

/** Hex HMAC-SHA256 of `parts` with `key`; "" for an empty key (signing switched off). */
export function sign(key: string, parts: readonly Uint8Array[]): string {
  if (key === "") return "";
  const hmac = createHmac("sha256", key);
  for (const p of parts) hmac.update(p);
  return hmac.digest("hex");
}

/** Whether `signature` is the right one for `parts` (constant-time comparison). */
export function verify(key: string, signature: string, parts: readonly Uint8Array[]): boolean {
  const expected = Buffer.from(sign(key, parts));
  const got = Buffer.from(signature);
  return got.length === expected.length && (got.length === 0 || timingSafeEqual(got, expected));
}

/** The frames of `msg`, signed with `key`, behind routing `ids` (empty for DEALER/PUB use). */
export function encode(key: string, msg: Message, ids: readonly Uint8Array[] = []): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((o) => Buffer.from(JSON.stringify(o)));
  const buffers = (msg.buffers ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  return [...ids.map((id) => Buffer.from(id)), DELIMITER_BYTES, Buffer.from(sign(key, parts)), ...parts, ...buffers];
}

/** Why a set of frames is not a message. */
export type DecodeProblem = "no delimiter" | "too few frames" | "bad signature" | "bad JSON";

/**
 * Parses frames into routing ids and a message; a problem instead when they are not a message
 * signed with `key` (the caller drops those, as jupyter_client and ipykernel do).
 */
export function decode(key: string, frames: readonly Buffer[]): Envelope | { problem: DecodeProblem } {
  const at = frames.findIndex((f) => f.equals(DELIMITER_BYTES));
  if (at < 0) return { problem: "no delimiter" };
  if (frames.length < at + 6) return { problem: "too few frames" };
  const parts = frames.slice(at + 2, at + 6);
  if (!verify(key, frames[at + 1].toString(), parts)) return { problem: "bad signature" };
  let json: any[];
  try {
    json = parts.map((p) => JSON.parse(p.toString()));
  } catch {
    return { problem: "bad JSON" };
  }
  const [header, parent_header, metadata, content] = json;
  const buffers = frames.slice(at + 6).map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  const msg: Message = { header, parent_header: parent_header ?? {}, metadata: metadata ?? {}, content: content ?? {} };
  if (buffers.length > 0) msg.buffers = buffers;
  return { ids: frames.slice(0, at), msg };
}

export function isProblem(x: Envelope | { problem: DecodeProblem }): x is { problem: DecodeProblem } {
  return "problem" in x;
}
