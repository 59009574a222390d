/** @file Where the exercises' PyTorch cases are read from in Node: the package's data/exercises/cases.json. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

// src/lessons/shared/ and dist/lessons/shared/ are both three folders below the package root.
export const CASES_FILE = join(__dirname, "..", "..", "..", "data", "exercises", "cases.json");

/** The file's JSON. */
export function readCases(): unknown {
  return JSON.parse(readFileSync(CASES_FILE, "utf8"));
}
