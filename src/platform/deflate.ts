/**
 * @file zlib compression for PNG's image data, in Node: Node's native zlib (fast). The browser
 * bundle replaces this file with deflate.browser.ts.
 */
import { deflateSync } from "node:zlib";

export function zlibCompress(data: Uint8Array, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9): Uint8Array {
  return deflateSync(data, { level });
}
