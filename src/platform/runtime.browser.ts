/** @file Where the library runs, in the browser bundle (replaces runtime.ts). */
export const RUNTIME: "node" | "browser" = "browser";
