/**
 * @file The room's static file server (Node's http, nothing else): serves a built room folder
 * with the headers that make the page cross-origin isolated (COOP same-origin + COEP
 * require-corp, and CORP same-origin on every file so the page's own files pass COEP), so that
 * SharedArrayBuffer, and with it tfjs's threaded wasm, is there on localhost.
 *
 * Only GET and HEAD; a path that climbs out of the folder (`..`, also percent-encoded) is
 * refused with 403 before the file system is asked; a folder serves its index.html.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { RoomError } from "../errors";
import { mimeType } from "./mime";

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export interface ServeOptions {
  port?: number;
  host?: string;
}

export interface RoomServer {
  server: http.Server;
  /** The port actually bound (differs from the asked one when that was 0). */
  port: number;
  host: string;
  close(): Promise<void>;
}

/** Checks `--port`'s text: an integer 0–65535 (0: any free port). */
export function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n > 65535) throw new RoomError(`--port ${text}: not a port number (0–65535)`);
  return n;
}

/** The file under `root` that a request path names, or null when it climbs out of `root`. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded.includes("\0")) return null;
  const segments = decoded.split(/[\\/]+/);
  if (segments.includes("..")) return null;
  const file = path.join(root, ...segments);
  const rel = path.relative(root, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? null : file;
}

function send(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...ISOLATION_HEADERS, "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function handler(root: string): http.RequestListener {
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, "method not allowed\n");
    }
    const urlPath = req.url ?? "/";
    const file = resolveInside(root, urlPath);
    if (file === null) return send(res, 403, "forbidden\n");
    fs.stat(file, (err, stat) => {
      if (err) return send(res, 404, "not found\n");
      if (stat.isDirectory()) {
        const bare = urlPath.split("?")[0];
        if (!bare.endsWith("/")) {
          // Relative URLs in the folder's index.html resolve against the folder only with the slash.
          res.writeHead(301, { ...ISOLATION_HEADERS, Location: bare + "/" + urlPath.slice(bare.length) });
          return res.end();
        }
        return serveFile(path.join(file, "index.html"), req, res);
      }
      serveFile(file, req, res, stat);
    });
  };
}

function serveFile(file: string, req: http.IncomingMessage, res: http.ServerResponse, known?: fs.Stats): void {
  const go = (stat: fs.Stats) => {
    res.writeHead(200, {
      ...ISOLATION_HEADERS,
      "Content-Type": mimeType(file),
      "Content-Length": stat.size,
      // A room is rebuilt in place: let browsers revalidate rather than keep a stale app.
      "Cache-Control": "no-cache",
      "Last-Modified": stat.mtime.toUTCString(),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    fs.createReadStream(file).on("error", () => res.destroy()).pipe(res);
  };
  if (known) return go(known);
  fs.stat(file, (err, stat) => {
    if (err || !stat.isFile()) send(res, 404, "not found\n");
    else go(stat);
  });
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): RoomError {
  switch (err.code) {
    case "EADDRINUSE":
      return new RoomError(`--port ${port}: already in use on ${host} (stop what uses it, or choose another with --port)`);
    case "EACCES":
      return new RoomError(`--port ${port}: not allowed for this user (ports below 1024 need privileges; choose another with --port)`);
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new RoomError(`--host ${host}: not an address of this machine`);
    default:
      return new RoomError(`cannot listen on ${host}:${port} (${err.code ?? err.message})`);
  }
}

/** Starts serving `dir`; resolves once listening. */
export async function serveRoom(dir: string, options: ServeOptions = {}): Promise<RoomServer> {
  const root = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new RoomError(`${dir}: no such folder (make the site with \`stripes-gan room build\`)`);
  }
  if (!stat.isDirectory()) throw new RoomError(`${dir}: not a folder`);
  const host = options.host ?? "0.0.0.0";
  const port = options.port ?? 8000;
  const server = http.createServer(handler(root));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    server,
    port: bound,
    host,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
