/**
 * A room for a browser test: `room build` into a scratch folder (with the environment given, e.g.
 * the fixture weights) and `room serve` on 127.0.0.1 with a free port.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, distIsFresh } from "./cli";

export function roomCli(): string[] {
  return distIsFresh() ? [path.join(ROOT, "dist", "cli", "main.js")] : ["-r", "ts-node/register/transpile-only", path.join(ROOT, "src", "cli", "main.ts")];
}

export interface ServedRoom {
  base: string;
  stop(): void;
}

/** Builds the site into `site`; the build's last stderr line when it fails. */
export function buildRoomSite(site: string, env: NodeJS.ProcessEnv): { ok: boolean; said: string } {
  const built = spawnSync(process.execPath, [...roomCli(), "room", "build", "-o", site], { cwd: ROOT, encoding: "utf8", timeout: 15 * 60 * 1000, env: { ...process.env, ...env } });
  const ok = built.status === 0 && fs.existsSync(path.join(site, "lab", "index.html"));
  return { ok, said: built.stderr.trim().split("\n").pop() ?? "" };
}

export async function serveRoom(site: string): Promise<ServedRoom> {
  const server = spawn(process.execPath, [...roomCli(), "room", "serve", site, "--port", "0", "--host", "127.0.0.1"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`room serve printed no URL: ${text}`)), 60_000);
    server.stdout!.on("data", (c) => {
      text += c;
      const m = /http:\/\/localhost:(\d+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    server.on("exit", (code) => reject(new Error(`room serve exited (${code}): ${text}`)));
  });
  return { base: `http://127.0.0.1:${port}/`, stop: () => server.kill() };
}
