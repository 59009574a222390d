/**
 * @file A file's bytes, in Node: the file system. The browser bundle replaces this file with
 * files.browser.ts, where the same string is a URL fetched from the page's server.
 */
import { readFile } from "node:fs/promises";

export async function readBytes(path: string): Promise<Uint8Array> {
  return readFile(path);
}
