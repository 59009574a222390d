/**
 * @file Jupyter comms: the kernel's half of a two-way message channel between kernel code and a
 * front end (jupyter_client docs/messaging.rst, "Custom Messages"), which ipywidgets is built on.
 *
 * Either side opens a comm on a named target; both then send `comm_msg`s on it until one side
 * closes it. Nothing is ever replied to. Out of the kernel, messages go through a transport the
 * kernel attaches (it publishes them on iopub, parented to the request being handled); into the
 * kernel, the kernel's shell dispatch hands each `comm_open` / `comm_msg` / `comm_close` to
 * `handle`. An open for a target nobody registered, or a message for a comm id nobody knows, is
 * answered with `comm_close`, as ipykernel does, so the front end drops its side.
 *
 * Without a transport (a plain Node script, a test) comms still open, record and dispatch locally;
 * nothing is sent.
 *
 * There is ONE manager per process, kept in a shared slot (slots.ts): the kernel
 * may load this module from its own install while a notebook loads it again through
 * `node_modules/stripes`, and both must see the same comms and targets.
 */
import { randomUUID } from "node:crypto";
import { StripesError } from "../errors";
import { sharedSlot } from "./slots";

export type CommMsgType = "comm_open" | "comm_msg" | "comm_close";

/** A misuse of a comm (sending on a closed one). */
export class CommError extends StripesError {}

/** How comm messages leave the kernel; implemented by the kernel. */
export interface CommTransport {
  /** Publishes one message on iopub, parented to the current request. */
  send(msgType: CommMsgType, content: object, metadata?: object, buffers?: Uint8Array[]): void;
}

type MsgCallback = (data: any, buffers: Uint8Array[]) => void;
type CloseCallback = (data: any) => void;
type OpenCallback = (comm: Comm, data: any, buffers: Uint8Array[]) => void;

/** One end of a comm. Made by `CommManager.open` (kernel side) or by a target's open callback. */
export class Comm {
  private closed = false;
  private readonly msgCallbacks: MsgCallback[] = [];
  private readonly closeCallbacks: CloseCallback[] = [];

  /** @internal made only by the manager */
  constructor(
    private readonly manager: CommManager,
    readonly commId: string,
    readonly targetName: string,
  ) {}

  /** True once either side has closed the comm. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends `comm_msg {comm_id, data}` to the front end. */
  send(data: object, metadata: object = {}, buffers: Uint8Array[] = []): void {
    if (this.closed) throw new CommError(`comm ${this.commId} (target '${this.targetName}') is closed; cannot send on it`);
    this.manager.publish("comm_msg", { comm_id: this.commId, data }, metadata, buffers);
  }

  /**
   * Sends `comm_close {comm_id, data}` and forgets the comm. Closing twice does nothing. As in
   * ipykernel, the comm's own `onClose` callbacks run only when the front end closes it.
   */
  close(data: object = {}): void {
    if (this.closed) return;
    this.closed = true;
    this.manager.forget(this.commId);
    this.manager.publish("comm_close", { comm_id: this.commId, data }, {}, []);
  }

  /** Calls `cb` with each `comm_msg`'s data (and buffers) from the front end. */
  onMsg(cb: MsgCallback): void {
    this.msgCallbacks.push(cb);
  }

  /** Calls `cb` with the data of the front end's `comm_close`. */
  onClose(cb: CloseCallback): void {
    this.closeCallbacks.push(cb);
  }

  /** @internal a comm_msg from the front end */
  deliver(data: any, buffers: Uint8Array[]): void {
    callAll(this.msgCallbacks, (cb) => cb(data, buffers));
  }

  /** @internal a comm_close from the front end */
  closedByFrontEnd(data: any): void {
    this.closed = true;
    callAll(this.closeCallbacks, (cb) => cb(data));
  }
}

/** Calls every callback even when one throws, then rethrows the first error for the kernel to report. */
function callAll<T>(callbacks: T[], call: (cb: T) => void): void {
  let first: { error: unknown } | undefined;
  for (const cb of [...callbacks]) {
    try {
      call(cb);
    } catch (error) {
      first ??= { error };
    }
  }
  if (first) throw first.error;
}

/** The kernel's comms: open ones by id, and the targets front ends may open comms on. */
export class CommManager {
  private transport: CommTransport | undefined;
  private readonly comms = new Map<string, Comm>();
  private readonly targets = new Map<string, OpenCallback>();

  /** Connects the manager to a kernel (undefined: local only, nothing sent). */
  attach(transport: CommTransport | undefined): void {
    this.transport = transport;
  }

  /** True when a kernel is attached, i.e. messages reach a front end. */
  get attached(): boolean {
    return this.transport !== undefined;
  }

  /** Lets front ends open comms on `name`; `open` is called with each new comm. Replaces an earlier registration. */
  registerTarget(name: string, open: OpenCallback): void {
    this.targets.set(name, open);
  }

  unregisterTarget(name: string): void {
    this.targets.delete(name);
  }

  /** Opens a comm from the kernel: sends `comm_open {comm_id, target_name, data}`. */
  open(targetName: string, data: object = {}, metadata: object = {}, buffers: Uint8Array[] = []): Comm {
    const comm = new Comm(this, randomUUID().replace(/-/g, ""), targetName);
    this.comms.set(comm.commId, comm);
    this.publish("comm_open", { comm_id: comm.commId, target_name: targetName, data }, metadata, buffers);
    return comm;
  }

  /** The open comm with this id, if any. */
  get(commId: string): Comm | undefined {
    return this.comms.get(commId);
  }

  /**
   * A comm message from the front end (the kernel's shell dispatch calls this). Errors thrown by
   * callbacks (the learner's code) propagate after every callback has run, for the kernel to show.
   */
  handle(msgType: CommMsgType, content: any, buffers: Uint8Array[] = []): void {
    const commId: unknown = content?.comm_id;
    if (typeof commId !== "string") return; // not a comm message: nothing to answer to
    const data = content.data ?? {};
    switch (msgType) {
      case "comm_open": {
        if (this.comms.has(commId)) return; // a second open of a live id: keep the one we have
        const open = this.targets.get(content.target_name);
        if (open === undefined) {
          this.publish("comm_close", { comm_id: commId, data: {} }, {}, []);
          return;
        }
        const comm = new Comm(this, commId, String(content.target_name));
        this.comms.set(commId, comm);
        try {
          open(comm, data, buffers);
        } catch (err) {
          comm.close(); // as ipykernel: a target that fails to take the comm closes it
          throw err;
        }
        return;
      }
      case "comm_msg": {
        const comm = this.comms.get(commId);
        if (comm === undefined) this.publish("comm_close", { comm_id: commId, data: {} }, {}, []);
        else comm.deliver(data, buffers);
        return;
      }
      case "comm_close": {
        const comm = this.comms.get(commId);
        if (comm === undefined) return;
        this.comms.delete(commId);
        comm.closedByFrontEnd(data);
        return;
      }
    }
  }

  /** `comm_info_reply.comms`: the open comms, optionally only those on one target. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const [id, comm] of this.comms) {
      if (targetName === undefined || comm.targetName === targetName) out[id] = { target_name: comm.targetName };
    }
    return out;
  }

  /** @internal */
  publish(msgType: CommMsgType, content: object, metadata: object, buffers: Uint8Array[]): void {
    this.transport?.send(msgType, content, metadata, buffers);
  }

  /** @internal */
  forget(commId: string): void {
    this.comms.delete(commId);
  }
}

/** The process's one CommManager (shared by every copy of this module). */
export function commManager(): CommManager {
  return sharedSlot("comms", () => new CommManager());
}
