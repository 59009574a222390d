/**
 * The worker's Transport (src/room/worker/transport.ts): what it posts to the page is a whole
 * Jupyter message (messaging spec 5.3: header with msg_id, msg_type, session, username, date,
 * version; parent_header the request's header, or {} for output nobody asked for), replies on the
 * request's channel, iopub as `publish`, one session for the kernel's life.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { FromWorker } from "../../../src/room/worker/protocol";
import { newId, WorkerTransport } from "../../../src/room/worker/transport";

const request = {
  channel: "control" as const,
  arrived: 0,
  msg: {
    header: { msg_id: "r1", msg_type: "kernel_info_request", session: "client", username: "u", date: "2026-01-01T00:00:00.000Z", version: "5.3" },
    parent_header: {},
    metadata: {},
    content: {},
  },
};

test("a reply goes on the request's channel, parented to it, in the kernel's session", () => {
  const posted: FromWorker[] = [];
  const t = new WorkerTransport((m) => posted.push(m));
  t.reply(request as any, "kernel_info_reply", { status: "ok" });
  assert.is(posted.length, 1);
  const m = posted[0];
  assert.is(m.type, "reply");
  if (m.type !== "reply") return;
  assert.is(m.channel, "control");
  assert.equal(m.msg.parent_header, request.msg.header);
  assert.is(m.msg.header.msg_type, "kernel_info_reply");
  assert.is(m.msg.header.session, t.session);
  assert.is(m.msg.header.version, "5.3");
  assert.ok(!Number.isNaN(Date.parse(m.msg.header.date)));
  assert.equal(m.msg.content, { status: "ok" });
});

test("publish: iopub messages, {} as parent when none, buffers kept, fresh ids", () => {
  const posted: FromWorker[] = [];
  const t = new WorkerTransport((m) => posted.push(m));
  const bytes = new Uint8Array([1, 2, 3]);
  t.publish(undefined, "comm_msg", { comm_id: "c", data: {} }, { k: 1 }, [bytes]);
  t.publish(request.msg as any, "status", { execution_state: "idle" });
  assert.is(posted[0].type, "publish");
  if (posted[0].type !== "publish" || posted[1].type !== "publish") return;
  assert.equal(posted[0].msg.parent_header, {});
  assert.equal(posted[0].msg.metadata, { k: 1 });
  assert.equal(posted[0].msg.buffers, [bytes]);
  assert.not.ok("buffers" in posted[1].msg);
  assert.is(posted[1].msg.parent_header.msg_id, "r1");
  assert.is.not(posted[0].msg.header.msg_id, posted[1].msg.header.msg_id);
  assert.is(posted[0].msg.header.session, posted[1].msg.header.session);
});

test("ids are 32 hex digits", () => {
  assert.match(newId(), /^[0-9a-f]{32}$/);
});

test.run();
