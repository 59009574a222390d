/**
 * @file The stripes kernel as JupyterLite sees it: a `BaseKernel` on the page whose runtime is a
 * Web Worker (room/worker/main.ts). Every request is posted to the worker as it comes; the
 * worker's kernel core (the same one as the Node kernel's) serves them one at a time, in order,
 * and sends busy/idle, execute_input, the replies and the outputs, which are relayed here as they
 * are. So BaseKernel's own handling (its busy/idle, execution count, execute_reply) is bypassed,
 * and comm_info_request — which BaseKernel leaves unanswered — is answered by the core.
 *
 * handleMessage returns once the request is posted, not when it is answered: JupyterLite passes
 * messages to a kernel through one lock, and holding it for a whole cell would keep widgets'
 * comm messages waiting; the worker keeps the order instead.
 *
 * Interrupt (`interrupt()`; JupyterLite's kernel client does not tell kernels, so plugin.ts wraps
 * its `interrupt` to call this): the worker ends an
 * awaiting cell; when the page is cross-origin isolated it also sets the shared flag a guarded
 * loop checks. A cell still running after a grace period is ended by restarting the worker, with a
 * line saying that the earlier cells' names are gone.
 */
import type { KernelMessage } from "@jupyterlab/services";
import { BaseKernel, type IKernel } from "@jupyterlite/services";
import type { FromWorker, ToWorker, WireMessage } from "../worker/protocol";
import { newInterruptCells, requestInterrupt } from "../../kernelCore/interruptFlag";

/** Where the worker's files are (URLs, resolved against the page). */
export interface StripesKernelUrls {
  /** dist/room/kernel/worker.js */
  workerUrl: string;
  /** dist/room/kernel/types.json */
  typesUrl: string;
  /** The library's browser bundle (an ES module); absent: cells cannot import "stripes". */
  libraryUrl?: string;
}

/** How long an interrupted cell may take to end before the worker is restarted. */
const GRACE_MS = 2000;

interface WorkerLike {
  postMessage(m: ToWorker): void;
  terminate(): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}

const NOT_USED = "the stripes kernel forwards every request to its worker (handleMessage)";

/** The page's stripes kernels by id, for the Stop button (plugin.ts hooks the kernel client's interrupt). */
export const runningKernels = new Map<string, StripesKernel>();

export class StripesKernel extends BaseKernel {
  private worker!: WorkerLike;
  private readonly send: IKernel.SendMessage;
  private started!: Promise<void>;
  private flag: Int32Array | undefined;
  /** Execute requests posted and not answered yet, by msg_id. */
  private readonly pending = new Map<string, KernelMessage.IMessage>();
  /** The client session of the last request: late outputs (no parent) go to it. */
  private lastSession = "";
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    options: IKernel.IOptions,
    private readonly urls: StripesKernelUrls,
    private readonly makeWorker: (url: string) => WorkerLike = (url) => new (globalThis as any).Worker(url) as WorkerLike,
  ) {
    super(options);
    this.send = options.sendMessage;
    runningKernels.set(this.id, this);
    this.startWorker();
  }

  get ready(): Promise<void> {
    return this.started;
  }

  private startWorker(): void {
    const isolated = (globalThis as any).crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
    this.flag = isolated ? newInterruptCells() : undefined;
    const worker = (this.worker = this.makeWorker(this.urls.workerUrl));
    this.started = new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === "ready") resolve();
        else if (m.type === "fatal") {
          console.error(`stripes kernel: ${m.text}`);
          reject(new Error(m.text));
        } else this.relay(m);
      };
      // Errors of cells are the worker's business (main.ts): what reaches here is the worker itself failing.
      worker.onerror = (e) => {
        const text = `stripes kernel: the worker failed (${this.urls.workerUrl}: ${e.message ?? "error"})`;
        console.error(text);
        reject(new Error(text));
      };
    });
    this.started.catch(() => {}); // reported above; requests then get no answer
    worker.postMessage({ type: "init", interruptFlag: this.flag, typesUrl: this.urls.typesUrl, libraryUrl: this.urls.libraryUrl });
  }

  /** A worker's message to the clients: the client's session in the header, as JupyterLite routes by it. */
  private relay(m: FromWorker): void {
    if (m.type === "log") {
      console.log(`[stripes kernel] ${m.text}`);
      return;
    }
    if (m.type !== "publish" && m.type !== "reply") return;
    const msg = m.msg;
    const session = (msg.parent_header.session as string | undefined) ?? this.lastSession;
    const channel = m.type === "publish" ? "iopub" : m.channel;
    if (m.type === "reply" && msg.header.msg_type === "execute_reply") this.answered(msg.parent_header.msg_id as string);
    this.send({ ...msg, header: { ...msg.header, session }, channel } as unknown as KernelMessage.IMessage);
  }

  private answered(id: string): void {
    this.pending.delete(id);
    if (this.pending.size === 0 && this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
  }

  async handleMessage(msg: KernelMessage.IMessage): Promise<void> {
    this.lastSession = msg.header.session;
    const type = msg.header.msg_type;
    if (type === "interrupt_request") {
      this.interrupt();
      return;
    }
    if (type === "execute_request") this.pending.set(msg.header.msg_id, msg);
    const channel = msg.channel === "control" ? "control" : "shell";
    const wire = { ...msg, buffers: (msg.buffers ?? []).map(toBytes) } as unknown as WireMessage;
    this.worker.postMessage({ type: "request", channel, msg: wire });
  }

  /** Stops the running cell: at its next await, at a guarded loop's next turn, or by a restart. */
  interrupt(): void {
    this.worker.postMessage({ type: "interrupt" });
    if (this.flag) requestInterrupt(this.flag); // ends the run executing now, never a later one
    if (this.pending.size > 0 && !this.restartTimer) this.restartTimer = setTimeout(() => this.restart(), GRACE_MS);
  }

  /** Ends a worker stuck in a synchronous cell and starts a fresh one; the cells waiting get an error. */
  private restart(): void {
    this.restartTimer = undefined;
    this.worker.terminate();
    const evalue = "the cell did not stop, so the kernel was restarted: run the earlier cells again";
    for (const [id, request] of this.pending) {
      const parent = request.header;
      const out = (msgType: string, channel: string, content: object) =>
        this.send({
          header: { ...parent, msg_id: `${id}-${msgType}`, msg_type: msgType, date: new Date().toISOString() },
          parent_header: parent,
          metadata: {},
          content,
          channel,
        } as unknown as KernelMessage.IMessage);
      out("error", "iopub", { ename: "KeyboardInterrupt", evalue, traceback: [`KeyboardInterrupt: ${evalue}`] });
      out("execute_reply", "shell", { status: "error", execution_count: null, ename: "KeyboardInterrupt", evalue, traceback: [] });
      out("status", "iopub", { execution_state: "idle" });
    }
    this.pending.clear();
    this.startWorker();
  }

  dispose(): void {
    if (this.isDisposed) return;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.worker.terminate();
    if (runningKernels.get(this.id) === this) runningKernels.delete(this.id);
    super.dispose();
  }

  // BaseKernel's per-request methods: not reached, as handleMessage is the worker's.
  kernelInfoRequest(): never {
    throw new Error(NOT_USED);
  }
  executeRequest(): never {
    throw new Error(NOT_USED);
  }
  completeRequest(): never {
    throw new Error(NOT_USED);
  }
  inspectRequest(): never {
    throw new Error(NOT_USED);
  }
  isCompleteRequest(): never {
    throw new Error(NOT_USED);
  }
  commInfoRequest(): never {
    throw new Error(NOT_USED);
  }
  inputReply(): void {}
  commOpen(): never {
    throw new Error(NOT_USED);
  }
  commMsg(): never {
    throw new Error(NOT_USED);
  }
  commClose(): never {
    throw new Error(NOT_USED);
  }
}

/** A JupyterLite buffer (ArrayBuffer or a view) as the bytes the kernel core reads. */
function toBytes(b: ArrayBuffer | ArrayBufferView): Uint8Array {
  return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
