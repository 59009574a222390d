/**
 * @file The messages between the page (room/page/, the JupyterLite kernel class) and the kernel's
 * Web Worker (room/worker/main.ts), over `postMessage`. Jupyter messages travel whole (header,
 * parent_header, metadata, content, buffers) in both directions; the worker makes the headers of
 * what it sends (its own session), the page relays them to JupyterLite as they are.
 *
 * Order: the page posts `init` first; the worker answers `ready` once the library and the compiler
 * are loaded (requests posted before that wait in the worker's queue).
 */

/** A Jupyter message as it crosses postMessage (protocol/message.ts's shape, without Node). */
export interface WireMessage {
  header: { msg_id: string; msg_type: string; session: string; username: string; date: string; version: string };
  parent_header: Partial<WireMessage["header"]>;
  metadata: Record<string, unknown>;
  content: any;
  buffers?: (ArrayBuffer | ArrayBufferView)[];
  channel?: string;
}

/** Page → worker. */
export type ToWorker =
  /**
   * First message. `interruptFlag`: an Int32Array over a SharedArrayBuffer (only when the page is
   * cross-origin isolated) that the page sets to 1 to stop a running synchronous loop; without
   * it only awaiting cells can be interrupted and the page restarts the worker instead.
   * `typesUrl`: the JSON map of .d.ts files the compiler reads (path → text); `libraryUrl`: the
   * library's browser bundle, an ES module (or a classic script defining a global `stripes`),
   * registered as "stripes"; both absolute or relative to the worker's script.
   */
  | { type: "init"; interruptFlag?: Int32Array; typesUrl: string; libraryUrl?: string }
  /** A shell or control request, answered by `reply` and followed by `publish`es. */
  | { type: "request"; channel: "shell" | "control"; msg: WireMessage }
  /** Stop the running cell (also sent as a control `interrupt_request`, which gets a reply). */
  | { type: "interrupt" };

/** Worker → page. */
export type FromWorker =
  /** The kernel serves requests; `kernelInfo` is kernel_info_reply's content; `ms`: start-up time. */
  | { type: "ready"; kernelInfo: object; ms: number }
  /** An iopub message (status, stream, display_data, execute_result, error, comm_*…). */
  | { type: "publish"; msg: WireMessage }
  /** The reply to a request, on the request's channel. */
  | { type: "reply"; channel: "shell" | "control"; msg: WireMessage }
  /** The kernel's own log line (not a cell's output): the page writes it to the console. */
  | { type: "log"; text: string }
  /** The kernel cannot start: the page shows the line and stops the worker. */
  | { type: "fatal"; text: string };
