/**
 * @file Loads tslab's converter onto the in-memory file system: TypeScript's `sys` must be the
 * memory one before the converter module is evaluated (it sets a flag on `ts.sys` when it loads
 * and builds its own System on top of it), so the converter is required here, after `setSys`.
 */
import type * as TS from "typescript";
import type { CompilerParts } from "./cellRunner";
import { memorySys } from "./memorySys";

/** tslab's compiler parts over `files` (absolute path → text: the libs and packages' types). */
export function loadCompiler(files: ReadonlyMap<string, string>, write?: (text: string) => void): CompilerParts {
  // The TypeScript tslab pins (a fork of 5.0), the one its converter is written against.
  const ts = require("@tslab/typescript-for-tslab") as typeof TS & { setSys(s: TS.System): void };
  ts.setSys(memorySys(files, write));
  return {
    ts,
    converter: require("tslab/dist/converter"),
    metadata: require("tslab/dist/metadata"),
    printQuickInfo: (info) => require("tslab/dist/inspect").printQuickInfo(info),
  };
}
