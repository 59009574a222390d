/**
 * @file A Jupyter kernel client: starts a kernel process (the stripes kernel, or tslab's) and
 * speaks Jupyter's messaging protocol (5.3) to it over ZeroMQ, as jupyter_client does — connection
 * file, HMAC-signed frames (src/protocol/, the same codec the stripes kernel uses),
 * `wait_for_ready`, requests on shell or control, heartbeat, shutdown on control.
 *
 * `execute` sends one cell and waits for it (what `stripes run` does); `request` sends any request
 * and collects the iopub messages it caused, so tests can queue several at once (Run All) or send
 * comm messages.
 *
 * tslab quirks handled here (yunabe/tslab src/jupyter.ts): it always checks the HMAC (so the key
 * is never empty); errors arrive as a stderr stream plus `execute_reply` status "error"; requests
 * queued behind an error are aborted, hence one request at a time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";
import { newHeader, type ConnectionInfo, type Message } from "../protocol/message";
import { decode, encode, isProblem } from "../protocol/wire";
import { KernelError } from "./errors";

export type { ConnectionInfo, Message, MessageHeader } from "../protocol/message";

export interface KernelStartOptions {
  /** The kernel's working directory (a notebook's folder). */
  cwd: string;
  /** Kernel command with `{connection_file}` (default: the stripes kernel). */
  argv?: string[];
  /** Environment of the kernel process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The kernelspec name written into the connection file (default "stripes"). */
  kernelName?: string;
  /** Milliseconds to wait for the first kernel_info_reply (default 60000). */
  startTimeoutMs?: number;
}

export interface ExecuteOptions {
  /** Milliseconds before the cell counts as timed out (default: none). */
  timeoutMs?: number;
  /** Every iopub message the request caused, in order (status messages included). */
  onIopub?: (msg: Message) => void;
}

export interface ExecuteReply {
  status: "ok" | "error" | "abort" | "aborted";
  execution_count?: number;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/**
 * The stripes kernel's command (src/kernel/main.ts; its header documents this argv), run by this
 * node from the package's built dist/ (from src/ under ts-node too: the kernel runs built code).
 */
export function stripesKernelArgv(): string[] {
  return [process.execPath, path.join(__dirname, "..", "..", "dist", "kernel", "main.js"), "{connection_file}"];
}

/** The tslab launcher this package depends on: `node <…>/tslab/bin/tslab`. */
export function tslabBinary(): string {
  return path.join(path.dirname(require.resolve("tslab/package.json")), "bin", "tslab");
}

/** Kernel command for tslab's TypeScript kernel (`js` for its JavaScript one), via this node. */
export function tslabArgv(js = false): string[] {
  return [process.execPath, tslabBinary(), "kernel", "--config-path", "{connection_file}", ...(js ? ["--js"] : [])];
}

/** Free TCP ports on 127.0.0.1, found by binding port 0 (as jupyter_client does). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** What a request caused: its reply and every iopub message parented to it, in arrival order. */
export interface RequestResult {
  reply: Message;
  iopub: Message[];
}

export interface RequestOptions {
  /** "shell" (default) or "control". */
  channel?: "shell" | "control";
  /** Binary frames after the JSON ones (comm messages). */
  buffers?: Uint8Array[];
  /** Wait for `status: idle` too (default: on shell yes, on control no, as kernels publish none there). */
  waitIdle?: boolean;
  /** Whether a reply comes (default true; comm_open/comm_msg/comm_close have none: done at idle). */
  expectReply?: boolean;
  timeoutMs?: number;
  onIopub?: (msg: Message) => void;
  /** Called with the request's msg_id as soon as it is chosen (before sending). */
  onSent?: (msgId: string) => void;
}

interface Pending {
  reply?: Message;
  idle: boolean;
  needIdle?: boolean;
  noReply?: boolean;
  onIopub?: (msg: Message) => void;
  settle?: () => void;
  fail?: (err: Error) => void;
}

export class Kernel {
  private readonly session = randomUUID();
  private readonly pending = new Map<string, Pending>();
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private stderrTail = "";
  private exited: { code: number | null; signal: NodeJS.Signals | null; error: KernelError } | undefined;
  private closed = false;
  private sawIopub = false;
  /** `language_info` from the kernel_info_reply (nbclient copies it into the notebook). */
  languageInfo: Record<string, unknown> | undefined;
  private readonly killOnExit = () => this.process.kill("SIGKILL");

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ConnectionInfo,
    private readonly connectionDir: string,
    readonly argv: string[],
  ) {}

  /** Starts a kernel process and waits until it answers (jupyter_client's `wait_for_ready`). */
  static async start(options: KernelStartOptions): Promise<Kernel> {
    if (!fs.existsSync(options.cwd)) throw new KernelError(`${options.cwd}: no such folder to start the kernel in`);
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    const connection: ConnectionInfo = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
      key: randomBytes(32).toString("hex"), // tslab always checks the HMAC: never empty
      signature_scheme: "hmac-sha256",
      kernel_name: options.kernelName ?? "stripes",
    };
    const connectionDir = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-kernel-"));
    const connectionFile = path.join(connectionDir, "kernel.json");
    fs.writeFileSync(connectionFile, JSON.stringify(connection, null, 1), { mode: 0o600 });
    const argv = (options.argv ?? stripesKernelArgv()).map((a) => a.replace("{connection_file}", connectionFile));
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kernel = new Kernel(child, connection, connectionDir, argv);
    kernel.watch();
    try {
      await kernel.waitForReady(options.startTimeoutMs ?? 60_000);
    } catch (err) {
      await kernel.shutdown();
      throw err;
    }
    return kernel;
  }

  private watch(): void {
    const keep = (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    };
    this.process.stdout?.on("data", keep);
    this.process.stderr?.on("data", keep);
    process.once("exit", this.killOnExit); // last resort: never leave a kernel behind
    this.process.once("error", (err) => this.onExit(null, null, err));
    this.process.once("exit", (code, signal) => this.onExit(code, signal));
    const { ip, shell_port, control_port, iopub_port } = this.connection;
    this.shell.connect(`tcp://${ip}:${shell_port}`);
    this.control.connect(`tcp://${ip}:${control_port}`);
    this.iopub.connect(`tcp://${ip}:${iopub_port}`);
    this.iopub.subscribe();
    void this.receive(this.shell, (msg) => this.onShell(msg));
    void this.receive(this.control, (msg) => this.onShell(msg));
    void this.receive(this.iopub, (msg) => this.onIopub(msg));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, err?: Error): void {
    if (this.exited) return;
    process.removeListener("exit", this.killOnExit);
    const how = err ? `could not be started (${err.message})` : `exited (${signal ? `signal ${signal}` : `code ${code}`})`;
    const tail = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
    const error = new KernelError(`the kernel ${how}: ${this.argv.join(" ")}${tail ? `; it said: ${tail}` : ""}`);
    this.exited = { code, signal, error };
    for (const p of this.pending.values()) p.fail?.(error);
  }

  /** What the kernel process printed on its own stdout/stderr lately (for diagnostics). */
  get log(): string {
    return this.stderrTail;
  }

  private async receive(socket: zmq.Dealer | zmq.Subscriber, handle: (msg: Message) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        const decoded = decode(this.connection.key, frames);
        if (!isProblem(decoded)) handle(decoded.msg); // unsigned or badly signed: dropped
      }
    } catch {
      // The socket was closed: nothing more to read.
    }
  }

  /** Signs and sends a request; `msgId` is chosen by the caller so replies can be matched at once. */
  private async send(socket: zmq.Dealer, msgType: string, content: object, msgId: string = randomUUID(), buffers?: Uint8Array[]): Promise<string> {
    const msg: Message = { header: newHeader(msgType, this.session, msgId), parent_header: {}, metadata: {}, content, buffers };
    await socket.send(encode(this.connection.key, msg));
    return msgId;
  }

  private readonly iopubTaps = new Set<(msg: Message) => void>();

  /** Every iopub message from now on, whatever its parent (tests watch comm traffic with it). */
  tapIopub(tap: (msg: Message) => void): () => void {
    this.iopubTaps.add(tap);
    return () => this.iopubTaps.delete(tap);
  }

  private onShell(msg: Message): void {
    const p = this.pending.get(msg.parent_header.msg_id ?? "");
    if (!p) return;
    p.reply = msg;
    if (p.idle || p.needIdle === false) p.settle?.();
  }

  private onIopub(msg: Message): void {
    this.sawIopub = true;
    for (const tap of this.iopubTaps) tap(msg);
    const p = this.pending.get(msg.parent_header.msg_id ?? "");
    if (!p) return;
    p.onIopub?.(msg);
    if (msg.header.msg_type === "status" && msg.content.execution_state === "idle") {
      p.idle = true;
      if (p.reply || p.noReply) p.settle?.();
    }
  }

  /**
   * Sends any request and resolves with its reply and the iopub messages parented to it, once the
   * reply (and on shell, `status: idle`) have arrived. Several may be in flight at once.
   */
  async request(msgType: string, content: object, options: RequestOptions = {}): Promise<RequestResult & { reply: Message }> {
    if (this.exited) throw this.exitError();
    const channel = options.channel ?? "shell";
    const iopub: Message[] = [];
    const pending: Pending = {
      idle: false,
      needIdle: options.waitIdle ?? channel === "shell",
      noReply: options.expectReply === false,
      onIopub: (msg) => {
        iopub.push(msg);
        options.onIopub?.(msg);
      },
    };
    const done = new Promise<void>((resolve, reject) => {
      pending.settle = resolve;
      pending.fail = reject;
    });
    const id = randomUUID();
    this.pending.set(id, pending);
    options.onSent?.(id);
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.send(channel === "shell" ? this.shell : this.control, msgType, content, id, options.buffers);
      await (options.timeoutMs === undefined
        ? done
        : Promise.race([
            done,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new TimeoutError(options.timeoutMs!)), options.timeoutMs);
            }),
          ]));
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
    return { reply: pending.reply!, iopub };
  }

  /** An execute_request's content with Jupyter's defaults (`stop_on_error` true). */
  static executeContent(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...overrides };
  }

  /** Sends bytes to the heartbeat socket and resolves with the milliseconds until they came back. */
  async ping(timeoutMs = 5000): Promise<number> {
    const hb = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    hb.connect(`tcp://${this.connection.ip}:${this.connection.hb_port}`);
    const began = process.hrtime.bigint();
    try {
      const payload = randomBytes(8);
      await hb.send(payload);
      const [echo] = await hb.receive();
      if (!Buffer.from(echo).equals(payload)) throw new KernelError("the heartbeat echoed other bytes");
      return Number(process.hrtime.bigint() - began) / 1e6;
    } finally {
      hb.close();
    }
  }

  /**
   * Sends kernel_info_request until a reply and some iopub message have both arrived, so that
   * no output of the first cell is lost to ZeroMQ's slow-joiner subscription.
   */
  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let replied = false;
    while (!(replied && this.sawIopub)) {
      if (this.exited) throw this.exitError();
      if (Date.now() > deadline) {
        throw new KernelError(`the kernel did not answer within ${timeoutMs / 1000} s: ${this.argv.join(" ")}`);
      }
      const id = randomUUID();
      const pending: Pending = { idle: false };
      this.pending.set(id, pending);
      await this.send(this.shell, "kernel_info_request", {}, id);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500);
        pending.settle = pending.fail = () => {
          clearTimeout(timer);
          resolve();
        };
        pending.onIopub = () => {
          if (pending.reply) pending.settle?.();
        };
      });
      if (pending.reply) {
        replied = true;
        this.languageInfo ??= pending.reply.content.language_info;
      }
      this.pending.delete(id);
    }
  }

  private exitError(): KernelError {
    return this.exited!.error;
  }

  /** Runs `code` and resolves with the execute_reply content once the kernel is idle again. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    const { reply } = await this.request("execute_request", Kernel.executeContent(code), { timeoutMs: options.timeoutMs, onIopub: options.onIopub });
    return reply.content as ExecuteReply;
  }

  /** Interrupts the running cell the way Jupyter does for signal-mode kernels (SIGINT). */
  interrupt(): void {
    if (!this.exited) this.process.kill("SIGINT");
  }

  /**
   * Stops the kernel: `shutdown_request` on control, then SIGTERM and SIGKILL if it lingers.
   * Safe to call more than once and on every path.
   */
  async shutdown(graceMs = 2000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.process.once("exit", () => resolve()));
      const wait = (ms: number) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
        return Promise.race([exited, timeout]).finally(() => clearTimeout(timer)); // no timer may outlive us
      };
      try {
        await Promise.race([this.send(this.control, "shutdown_request", { restart: false }), wait(500)]);
      } catch {
        // The socket may already be gone; the signals below still stop the process.
      }
      await wait(graceMs);
      if (!this.exited) {
        this.process.kill("SIGTERM");
        await wait(1000);
      }
      if (!this.exited) {
        this.process.kill("SIGKILL");
        await wait(1000);
      }
    }
    process.removeListener("exit", this.killOnExit);
    for (const s of [this.shell, this.control, this.iopub]) s.close();
    fs.rmSync(this.connectionDir, { recursive: true, force: true });
  }
}

/** A cell ran longer than its timeout. */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`did not finish within ${timeoutMs / 1000} s`);
  }
}
