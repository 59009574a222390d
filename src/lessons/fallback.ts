/**
 * @file Where lesson 03's pretrained fallback lives: data/lesson03/G_AB.pth and G_BA.pth, the
 * lesson's generators trained much longer by scripts/lesson03-fallback.py (provenance in
 * data/README.md), shipped with the package.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { StripesError } from "../errors";

/** data/ at the package root: two levels up from src/lessons/ and from dist/lessons/ alike. */
const DATA = path.join(__dirname, "..", "..", "data", "lesson03");

/** The path of a fallback checkpoint; a one-line error when the file is missing. */
export function fallbackCheckpoint(name: "G_AB" | "G_BA"): string {
  const file = path.join(DATA, `${name}.pth`);
  if (!fs.existsSync(file)) throw new StripesError(`${file}: lesson 03's fallback checkpoint is missing (scripts/lesson03-fallback.py writes it)`);
  return file;
}
