/**
 * @file A file's bytes, in Node: the file system. The browser bundle replaces this file with
 * files.browser.ts, where the same string is a URL fetched from the page's server.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";

export async function readBytes(path: string): Promise<Uint8Array> {
  return readFile(path);
}

/** The same, synchronously (torch.load is synchronous, as PyTorch's is). */
export function readBytesSync(path: string): Uint8Array {
  return readFileSync(path);
}
