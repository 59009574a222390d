/**
 * The wire codec against jupyter_client's spec (docs/messaging.rst, "The Wire Protocol"):
 * frames `[ids…, "<IDS|MSG>", hmac, header, parent, metadata, content, buffers…]`, the HMAC the
 * hex SHA-256 HMAC of the four JSON frames. The expected signature is computed here with
 * node:crypto directly from the frames, not with the codec.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHmac } from "node:crypto";
import { childMessage, newHeader, type Message } from "../../src/protocol/message";
import { decode, encode, isProblem, sign, verify } from "../../src/protocol/wire";

const W = suite("protocol wire");
const key = "a0b1c2d3";

const msg: Message = {
  header: newHeader("comm_msg", "session-1", "id-1"),
  parent_header: {},
  metadata: { m: 1 },
  content: { comm_id: "c", data: { method: "update" } },
  buffers: [new Uint8Array([1, 2, 3])],
};

W("encode: routing ids, delimiter, HMAC of the four JSON frames, then buffers", () => {
  const frames = encode(key, msg, [Buffer.from("router-id")]);
  assert.is(frames.length, 1 + 1 + 1 + 4 + 1);
  assert.is(frames[0].toString(), "router-id");
  assert.is(frames[1].toString(), "<IDS|MSG>");
  const h = createHmac("sha256", key);
  for (const f of frames.slice(3, 7)) h.update(f);
  assert.is(frames[2].toString(), h.digest("hex"));
  assert.equal(JSON.parse(frames[3].toString()), msg.header);
  assert.equal([...frames[7]], [1, 2, 3]);
});

W("decode gives back ids, message and buffers; a wrong signature or key is refused", () => {
  const frames = encode(key, msg, [Buffer.from("a"), Buffer.from("b")]);
  const d = decode(key, frames);
  assert.not.ok(isProblem(d));
  if (isProblem(d)) return;
  assert.equal(d.ids.map(String), ["a", "b"]);
  assert.equal(d.msg.header, msg.header);
  assert.equal(d.msg.content, msg.content);
  assert.equal([...d.msg.buffers![0]], [1, 2, 3]);
  assert.equal(decode("other-key", frames), { problem: "bad signature" });
  const tampered = [...frames];
  tampered[6] = Buffer.from(JSON.stringify({ comm_id: "evil" }));
  assert.equal(decode(key, tampered), { problem: "bad signature" });
  assert.equal(decode(key, frames.slice(0, 5)), { problem: "too few frames" });
  assert.equal(decode(key, [Buffer.from("x")]), { problem: "no delimiter" });
});

W("an empty key means an empty signature (signing off)", () => {
  assert.is(sign("", [Buffer.from("x")]), "");
  assert.ok(verify("", "", [Buffer.from("x")]));
  assert.not.ok(verify("", "abc", [Buffer.from("x")]));
  const d = decode("", encode("", msg));
  assert.not.ok(isProblem(d));
});

W("childMessage: parent_header is the request's header; version 5.3", () => {
  const reply = childMessage(msg, "comm_info_reply", { status: "ok" }, "s2");
  assert.equal(reply.parent_header, msg.header);
  assert.is(reply.header.version, "5.3");
  assert.is(reply.header.msg_type, "comm_info_reply");
  assert.is(reply.header.session, "s2");
  assert.equal(childMessage(undefined, "status", {}, "s2").parent_header, {});
});

W.run();
