/**
 * @file Writing a file so that it is never seen half-written: the bytes go to a temporary file
 * beside it (same folder, so the rename stays on one file system), which is then renamed over it.
 * Every writer in stripes (checkpoints, images, notebooks, kernelspecs, ONNX files) goes through
 * here; each wraps a failure in its own one-line error.
 */
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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
