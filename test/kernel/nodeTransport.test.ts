/**
 * The Node kernel's Transport (src/kernel/nodeTransport.ts): what it hands the socket thread is a
 * whole Jupyter message (messaging spec 5.3: a fresh msg_id, the kernel's one session, the
 * request's header as parent_header), on the request's channel with its routing ids, or on iopub.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Message } from "../../src/protocol/message";
import { NodeTransport, type IoRequest } from "../../src/kernel/nodeTransport";
import type { ToIo } from "../../src/kernel/ioMessages";

const header = { msg_id: "req-1", session: "client", username: "u", date: "2026-12-07T00:00:00.000Z", msg_type: "execute_request", version: "5.3" };
const msg: Message = { header, parent_header: {}, metadata: {}, content: { code: "1" } };

test("a reply goes on the request's channel with its ids, parented to it, in the kernel's session", () => {
  const posted: ToIo[] = [];
  const t = new NodeTransport((m) => posted.push(m));
  const ids = [new Uint8Array([1, 2])];
  const request: IoRequest = { channel: "control", ids, msg, arrived: 0 };
  t.reply(request, "execute_reply", { status: "ok" });
  assert.is(posted.length, 1);
  const p = posted[0] as Extract<ToIo, { type: "send" }>;
  assert.is(p.type, "send");
  assert.is(p.channel, "control");
  assert.is(p.ids, ids);
  assert.equal(p.msg.parent_header, header);
  assert.is(p.msg.header.msg_type, "execute_reply");
  assert.is(p.msg.header.session, t.session);
  assert.is(p.msg.header.version, "5.3");
  assert.is.not(p.msg.header.msg_id, header.msg_id);
  assert.equal(p.msg.content, { status: "ok" });
});

test("publish goes on iopub with no ids; metadata and buffers kept; no parent gives parent_header {}", () => {
  const posted: ToIo[] = [];
  const t = new NodeTransport((m) => posted.push(m));
  const buf = new Uint8Array([9]);
  t.publish(msg, "comm_msg", { comm_id: "c" }, { version: "2.1.0" }, [buf]);
  t.publish(undefined, "status", { execution_state: "starting" });
  const [a, b] = posted as Extract<ToIo, { type: "send" }>[];
  assert.is(a.channel, "iopub");
  assert.equal(a.ids, []);
  assert.equal(a.msg.parent_header, header);
  assert.equal(a.msg.metadata, { version: "2.1.0" });
  assert.equal(a.msg.buffers, [buf]);
  assert.equal(b.msg.parent_header, {});
  assert.is(a.msg.header.session, b.msg.header.session);
  assert.is.not(a.msg.header.msg_id, b.msg.header.msg_id);
});

test.run();
