/**
 * @file Where lesson 03's pretrained fallback lives: data/lesson03/G_AB.pth and G_BA.pth, the
 * lesson's generators trained much longer by scripts/lesson03-fallback.py (provenance in
 * data/README.md), shipped with the package.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { StripesError } from "../../errors";

/** data/ at the package root: three levels up from src/lessons/tinyCycleGan/ and from dist/lessons/tinyCycleGan/ alike. */
const DATA = path.join(__dirname, "..", "..", "..", "data", "lesson03");

/** The path of a fallback checkpoint; a one-line error when the file is missing. */
export function fallbackCheckpoint(name: "G_AB" | "G_BA"): string {
  const file = path.join(DATA, `${name}.pth`);
  if (!fs.existsSync(file)) throw new StripesError(`${file}: lesson 03's fallback checkpoint is missing (scripts/lesson03-fallback.py writes it)`);
  return file;
}

/** Whether both fallback checkpoints are there (this package may ship without them). */
export function hasFallback(): boolean {
  return ["G_AB", "G_BA"].every((name) => fs.existsSync(path.join(DATA, `${name}.pth`)));
}

/**
 * One snapshot's result in provenance.json: the lesson's check on four sets of 16 validation pairs
 * (`validation_seeds`), the measures averaged over the sets, the thresholds missed on any set.
 */
export interface FallbackSnapshot {
  step: number;
  missed: string[];
  /** The thresholds missed on some set once each bound moves out by its margin (THRESHOLDS' `margin`). */
  short_of_margin: string[];
  /** G_AB(a)'s and G_BA(b)'s striped shares. */
  striped: [number, number];
  colour_error: [number, number];
  psnr: [number, number];
}

/** What scripts/lesson03-fallback.py recorded about the run that made the fallback pair. */
export interface FallbackProvenance {
  steps: number;
  cpu_seconds: number;
  wall_seconds: number;
  torch: string;
  /** The seeds of the validation sets (the lesson's own test pairs are seed 7's). */
  validation_seeds: number[];
  /** The latest step that passed on every set with every margin (scripts/lesson03-fallback.py). */
  kept_step: number;
  snapshots: FallbackSnapshot[];
}

/** data/lesson03/provenance.json, or undefined when this copy has none. */
export function fallbackProvenance(): FallbackProvenance | undefined {
  const file = path.join(DATA, "provenance.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as FallbackProvenance;
  } catch (err) {
    throw new StripesError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}
