/** @file zlib compression in the browser bundle (replaces deflate.ts): fflate, as a browser has no synchronous zlib. */
import { zlibSync } from "fflate";

export function zlibCompress(data: Uint8Array, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9): Uint8Array {
  return zlibSync(data, { level });
}
