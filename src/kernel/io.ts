/**
 * @file The kernel's socket thread (a worker_thread): it owns every ZeroMQ socket, so the
 * heartbeat echoes, control answers `interrupt_request`, and outputs reach iopub while the main
 * thread is stuck in a synchronous cell (a training loop blocks Node's event loop; a worker has
 * its own). Shell and control requests go to the main thread (src/kernelCore/requestLoop.ts) in arrival
 * order; its replies and iopub messages come back here to be signed and sent.
 *
 * Interrupt: the reply is sent from here at once; the shared interrupt flag (interruptFlag.ts) is
 * set for the run executing now, which ends a synchronous loop at its next iteration even when it
 * runs after an `await` and the main thread never comes back to its event loop. When no loop
 * check has ended the run 100 ms later, SIGINT to this process, which ends other synchronous code
 * through vm's `breakOnSigint` and an awaiting cell through the main thread's SIGINT listener
 * (src/kernel/interpreter.ts). Nothing is sent while no cell runs.
 *
 * Consecutive stream messages of one request and stream are merged (within 20 ms) before being
 * sent, so a loop printing every step does not flood the front end; order is kept, since any
 * other message flushes the pending text first.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { childMessage, type ConnectionInfo, type Message } from "../protocol/message";
import { decode, encode, isProblem } from "../protocol/wire";
import { needsSignal, requestInterrupt } from "../kernelCore/interruptFlag";
import type { FromIo, ToIo } from "./ioMessages";

const port = parentPort!;
/** How long a loop check has to end the cell before SIGINT is sent as well (interruptFlag.ts). */
const SIGNAL_AFTER_MS = 100;
const { connection, session, interruptCells } = workerData as { connection: ConnectionInfo; session: string; interruptCells: Int32Array };
const key = connection.key;
const address = (p: number) => `${connection.transport}://${connection.ip}:${p}`;

const shell = new zmq.Router({ linger: 0 });
const control = new zmq.Router({ linger: 0 });
const iopub = new zmq.Publisher({ linger: 0 });
const stdin = new zmq.Router({ linger: 0 });
const hb = new zmq.Reply({ linger: 0 });
const sockets = { shell, control, iopub, stdin, hb };

let kernelInfo: object | undefined;
let closing = false;

function post(m: FromIo): void {
  port.postMessage(m);
}

// Sends are serialised per socket: zeromq's send() must not be called again before it resolves.
const sendQueues = new Map<zmq.Socket, Promise<void>>();
function sendOn(socket: zmq.Router | zmq.Publisher | zmq.Reply, frames: Buffer[]): void {
  const prev = sendQueues.get(socket) ?? Promise.resolve();
  const next = prev.then(() => (socket as zmq.Router).send(frames)).catch((err) => {
    if (!closing) post({ type: "log", text: `send failed: ${(err as Error).message}` });
  });
  sendQueues.set(socket, next);
}

// Pending stream text, merged until another message or 20 ms pass.
let pendingStream: Message | undefined;
let streamTimer: NodeJS.Timeout | undefined;
function flushStream(): void {
  if (streamTimer) clearTimeout(streamTimer);
  streamTimer = undefined;
  if (pendingStream) sendOn(iopub, encode(key, pendingStream));
  pendingStream = undefined;
}

function publish(msg: Message): void {
  if (msg.header.msg_type === "stream") {
    const p = pendingStream;
    if (p && p.parent_header.msg_id === msg.parent_header.msg_id && p.content.name === msg.content.name) {
      p.content.text += msg.content.text;
      return;
    }
    flushStream();
    pendingStream = msg;
    streamTimer = setTimeout(flushStream, 20);
    return;
  }
  flushStream();
  sendOn(iopub, encode(key, msg));
}

async function serve(channel: "shell" | "control", socket: zmq.Router): Promise<void> {
  try {
    for await (const frames of socket) {
      const arrived = Date.now();
      const decoded = decode(key, frames);
      if (isProblem(decoded)) {
        post({ type: "log", text: `dropped a ${channel} message: ${decoded.problem}` });
        continue;
      }
      const { ids, msg } = decoded;
      const type = msg.header.msg_type;
      if (channel === "control" && type === "interrupt_request") {
        sendOn(control, encode(key, childMessage(msg, "interrupt_reply", { status: "ok" }, session), ids));
        const run = requestInterrupt(interruptCells);
        if (run !== 0) setTimeout(() => needsSignal(interruptCells, run) && process.kill(process.pid, "SIGINT"), SIGNAL_AFTER_MS);
        continue;
      }
      if (channel === "control" && type === "kernel_info_request" && kernelInfo) {
        sendOn(control, encode(key, childMessage(msg, "kernel_info_reply", kernelInfo, session), ids));
        continue;
      }
      post({ type: "request", channel, ids: ids.map((b) => new Uint8Array(b)), msg, arrived });
    }
  } catch {
    // closed
  }
}

async function heartbeat(): Promise<void> {
  try {
    for await (const frames of hb) await hb.send(frames);
  } catch {
    // closed
  }
}

port.on("message", (m: ToIo) => {
  switch (m.type) {
    case "send": {
      if (m.channel === "iopub") publish(m.msg);
      else {
        flushStream(); // a reply never overtakes the output before it
        sendOn(m.channel === "shell" ? shell : control, encode(key, m.msg, m.ids.map((b) => Buffer.from(b))));
      }
      break;
    }
    case "kernelInfo":
      kernelInfo = m.content;
      break;
    case "close":
      flushStream();
      closing = true;
      void Promise.all([...sendQueues.values()]).finally(() => {
        for (const s of Object.values(sockets)) s.close();
        post({ type: "closed" });
        port.close();
      });
      break;
  }
});

(async () => {
  try {
    await Promise.all([
      shell.bind(address(connection.shell_port)),
      control.bind(address(connection.control_port)),
      iopub.bind(address(connection.iopub_port)),
      stdin.bind(address(connection.stdin_port)),
      hb.bind(address(connection.hb_port)),
    ]);
  } catch (err) {
    post({ type: "fatal", text: `cannot listen on ${connection.ip} (${(err as Error).message})` });
    return;
  }
  void serve("shell", shell);
  void serve("control", control);
  void heartbeat();
  post({ type: "ready" });
})();
