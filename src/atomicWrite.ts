/**
 * @file Writing a file so that it is never seen half-written: the bytes go to a temporary file
 * beside it (same folder, so the rename stays on one file system), which is then renamed over it.
 * Every writer in stripes (checkpoints, images, notebooks, kernelspecs, ONNX files) goes through
 * here; each wraps a failure in its own one-line error, saying why with `writeProblem`.
 */
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { messageOf, oneLine } from "./errors";

/** A hidden temporary name beside `path`, unique to this process and call. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Writes `data` to `path` through a temporary file and a rename; on failure nothing is left. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Why a write failed, in a few words for `FILE: cannot write (…)`: the usual system errors in
 * words, another one by its code, anything else (an encoder's error) as its message on one line
 * without `tmp`, the temporary name the user never chose and would not find.
 */
export function writeProblem(err: unknown, tmp?: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return "no such folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "a folder has that name";
    case "ENOSPC":
      return "no space left on device";
    case "EROFS":
      return "read-only file system";
  }
  if (code !== undefined) return code;
  const text = tmp === undefined ? messageOf(err) : messageOf(err).split(tmp).join("");
  return oneLine(text).replace(/^[:\s]+/, "");
}
