/**
 * @file Where torch.save's bytes go, in Node: the file, through a temporary file and a rename so a
 * failure never leaves half a file. The browser bundle replaces this file with
 * writeCheckpoint.browser.ts, which has no folder to write in.
 */
import { basename } from "node:path";
import { writeFileAtomic, writeProblem } from "../atomicWrite";
import { CheckpointError } from "./errors";

export function writeCheckpoint(path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (err) {
    throw new CheckpointError(basename(path), `cannot write (${writeProblem(err)})`);
  }
}
