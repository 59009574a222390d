/**
 * Comms, checked message by message against jupyter_client's messaging spec ("Custom Messages")
 * with a fake transport that records what the kernel would publish: kernel-side open / msg /
 * close, front-end open on a registered target, the comm_close answer to an unknown target or
 * id, buffers both ways, comm_info, callbacks that throw, and the one-manager-per-process rule.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Comm, CommError, CommManager, commManager } from "../../src/notebook/comms";
import { FakeTransport } from "../helpers/fakeTransport";

function setup(): { manager: CommManager; transport: FakeTransport } {
  const manager = new CommManager();
  const transport = new FakeTransport();
  manager.attach(transport);
  return { manager, transport };
}

const Kernel = suite("comms opened by the kernel");

Kernel("open sends one comm_open {comm_id, target_name, data} with metadata and buffers", () => {
  const { manager, transport } = setup();
  const buf = new Uint8Array([1, 2, 3]);
  const comm = manager.open("my.target", { a: 1 }, { version: "2.1.0" }, [buf]);
  assert.match(comm.commId, /^[0-9a-f]{32}$/); // ipykernel's uuid4().hex
  assert.is(comm.targetName, "my.target");
  assert.equal(transport.sent, [
    { msgType: "comm_open", content: { comm_id: comm.commId, target_name: "my.target", data: { a: 1 } }, metadata: { version: "2.1.0" }, buffers: [buf] },
  ]);
  assert.equal(manager.info(), { [comm.commId]: { target_name: "my.target" } });
});

Kernel("send is one comm_msg {comm_id, data}; close is one comm_close, and a second close sends nothing", () => {
  const { manager, transport } = setup();
  const comm = manager.open("t");
  comm.send({ x: 2 }, {}, [new Uint8Array([9])]);
  comm.close({ bye: true });
  comm.close();
  assert.equal(transport.types(), ["comm_open", "comm_msg", "comm_close"]);
  assert.equal(transport.sent[1].content, { comm_id: comm.commId, data: { x: 2 } });
  assert.equal(Array.from(transport.sent[1].buffers[0]), [9]);
  assert.equal(transport.sent[2].content, { comm_id: comm.commId, data: { bye: true } });
  assert.equal(manager.info(), {});
  assert.is(comm.isClosed, true);
});

Kernel("sending on a closed comm is a CommError naming the comm", () => {
  const { manager } = setup();
  const comm = manager.open("t");
  comm.close();
  assert.throws(() => comm.send({}), (e: Error) => e instanceof CommError && e.message.includes(comm.commId) && e.message.includes("closed"));
});

Kernel("comm ids differ between opens", () => {
  const { manager } = setup();
  assert.is.not(manager.open("t").commId, manager.open("t").commId);
});

Kernel("without a transport comms open, send and close locally and nothing is thrown", () => {
  const manager = new CommManager();
  assert.is(manager.attached, false);
  const comm = manager.open("t", { a: 1 });
  comm.send({ b: 2 });
  const got: unknown[] = [];
  comm.onMsg((d) => got.push(d));
  manager.handle("comm_msg", { comm_id: comm.commId, data: { c: 3 } }, []);
  assert.equal(got, [{ c: 3 }]);
  comm.close();
  assert.equal(manager.info(), {});
});

const FrontEnd = suite("comms from the front end");

FrontEnd("comm_msg reaches every onMsg callback with data and buffers; nothing is sent back", () => {
  const { manager, transport } = setup();
  const comm = manager.open("t");
  const got: [unknown, number[]][] = [];
  comm.onMsg((data, buffers) => got.push([data, buffers.map((b) => b[0])]));
  comm.onMsg((data) => got.push([data, []]));
  manager.handle("comm_msg", { comm_id: comm.commId, data: { v: 5 } }, [new Uint8Array([7])]);
  assert.equal(got, [[{ v: 5 }, [7]], [{ v: 5 }, []]]);
  assert.equal(transport.types(), ["comm_open"]);
});

FrontEnd("comm_open on a registered target calls its open callback with a live comm and sends nothing", () => {
  const { manager, transport } = setup();
  const opened: [Comm, unknown, number][] = [];
  manager.registerTarget("jupyter.widget.control", (comm, data, buffers) => opened.push([comm, data, buffers.length]));
  manager.handle("comm_open", { comm_id: "c1", target_name: "jupyter.widget.control", data: { hi: 1 } }, [new Uint8Array(2)]);
  assert.is(opened.length, 1);
  const [comm, data, nBuffers] = opened[0];
  assert.is(comm.commId, "c1");
  assert.is(comm.targetName, "jupyter.widget.control");
  assert.equal(data, { hi: 1 });
  assert.is(nBuffers, 1);
  assert.equal(transport.sent, []);
  assert.equal(manager.info(), { c1: { target_name: "jupyter.widget.control" } });
  comm.send({ method: "update_states" });
  assert.equal(transport.sent[0].content, { comm_id: "c1", data: { method: "update_states" } });
});

FrontEnd("comm_open on an unknown target is answered with exactly one comm_close for that id", () => {
  const { manager, transport } = setup();
  manager.handle("comm_open", { comm_id: "c2", target_name: "nobody", data: {} }, []);
  assert.equal(transport.sent, [{ msgType: "comm_close", content: { comm_id: "c2", data: {} }, metadata: {}, buffers: [] }]);
  assert.equal(manager.info(), {});
});

FrontEnd("comm_msg for an unknown id is answered with comm_close", () => {
  const { manager, transport } = setup();
  manager.handle("comm_msg", { comm_id: "gone", data: { method: "update" } }, []);
  assert.equal(transport.sent, [{ msgType: "comm_close", content: { comm_id: "gone", data: {} }, metadata: {}, buffers: [] }]);
});

FrontEnd("comm_close runs onClose with its data, forgets the comm, sends nothing; later msgs get comm_close", () => {
  const { manager, transport } = setup();
  const comm = manager.open("t");
  const closed: unknown[] = [];
  comm.onClose((d) => closed.push(d));
  manager.handle("comm_close", { comm_id: comm.commId, data: { why: "tab closed" } }, []);
  assert.equal(closed, [{ why: "tab closed" }]);
  assert.is(comm.isClosed, true);
  assert.equal(manager.info(), {});
  assert.equal(transport.types(), ["comm_open"]);
  manager.handle("comm_close", { comm_id: comm.commId, data: {} }, []); // unknown now: ignored
  manager.handle("comm_msg", { comm_id: comm.commId, data: {} }, []);
  assert.equal(transport.types(), ["comm_open", "comm_close"]);
});

FrontEnd("a second comm_open with a live id keeps the first comm and sends nothing", () => {
  const { manager, transport } = setup();
  let opens = 0;
  manager.registerTarget("t", () => void opens++);
  manager.handle("comm_open", { comm_id: "same", target_name: "t", data: {} }, []);
  manager.handle("comm_open", { comm_id: "same", target_name: "t", data: {} }, []);
  assert.is(opens, 1);
  assert.equal(transport.sent, []);
});

FrontEnd("a throwing callback does not stop the others; its error reaches the caller", () => {
  const { manager } = setup();
  const comm = manager.open("t");
  let second = 0;
  comm.onMsg(() => {
    throw new Error("learner bug");
  });
  comm.onMsg(() => void second++);
  assert.throws(() => manager.handle("comm_msg", { comm_id: comm.commId, data: {} }, []), /learner bug/);
  assert.is(second, 1);
});

FrontEnd("a target whose open callback throws gets its comm closed (one comm_close) and the error rethrown", () => {
  const { manager, transport } = setup();
  manager.registerTarget("bad", () => {
    throw new Error("cannot take it");
  });
  assert.throws(() => manager.handle("comm_open", { comm_id: "c3", target_name: "bad", data: {} }, []), /cannot take it/);
  assert.equal(transport.sent, [{ msgType: "comm_close", content: { comm_id: "c3", data: {} }, metadata: {}, buffers: [] }]);
  assert.equal(manager.info(), {});
});

FrontEnd("info(target) lists only that target's comms", () => {
  const { manager } = setup();
  const a = manager.open("a");
  manager.open("b");
  assert.equal(manager.info("a"), { [a.commId]: { target_name: "a" } });
  assert.equal(manager.info("none"), {});
});

const Process = suite("one comm manager per process");

Process("commManager() is one instance, shared by a second copy of the module", () => {
  // A second copy of stripes has its own comms.ts and slots.ts: both are loaded afresh.
  const paths = [require.resolve("../../src/notebook/comms"), require.resolve("../../src/notebook/slots")];
  const first = commManager();
  assert.is(commManager(), first);
  const cached = paths.map((p) => require.cache[p]);
  for (const p of paths) delete require.cache[p];
  try {
    const copy = require(paths[0]) as typeof import("../../src/notebook/comms");
    assert.is.not(copy.CommManager, CommManager); // really a second copy of the module
    assert.is(copy.commManager(), first);
  } finally {
    paths.forEach((p, i) => (require.cache[p] = cached[i]));
  }
});

Kernel.run();
FrontEnd.run();
Process.run();
