import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) =>
    e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs));
}

/** True when dist/ was built after the last change to src/ (as under `npm test`). */
export function distIsFresh(): boolean {
  const built = join(ROOT, "dist", "cli", "main.js");
  return existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, "src"));
}

/**
 * The real command line, as a user runs it: the built dist/cli/main.js when it is newer than
 * every source (as under `npm test`, which builds first; it starts in a second), else the
 * sources through ts-node (several seconds), so a bare uvu run never skips the check.
 */
export function cli(...args: string[]): SpawnSyncReturns<string> {
  return cliWith({}, ...args);
}

/** `cli` with a time limit (a hang becomes a failed spawn, not a stuck test run). */
export function cliWith({ timeout }: { timeout?: number }, ...args: string[]): SpawnSyncReturns<string> {
  const entry = distIsFresh() ? [join(ROOT, "dist", "cli", "main.js")] : ["-r", "ts-node/register/transpile-only", "src/cli/main.ts"];
  return spawnSync(process.execPath, [...entry, ...args], { cwd: ROOT, encoding: "utf8", timeout });
}

/** Runs `stripes ARGS` in this process (no spawn) with stderr captured: its exit code and what went to stderr. */
export async function stripesInProcess(...args: string[]): Promise<{ code: number; stderr: string }> {
  const { main } = await import("../../src/cli/main"); // loaded here, so that tests which only spawn the CLI do not load every command
  const write = process.stderr.write;
  let stderr = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(["node", "stripes", ...args]), stderr };
  } finally {
    process.stderr.write = write;
    process.exitCode = undefined;
  }
}
