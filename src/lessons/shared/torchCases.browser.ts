/**
 * @file The exercises' PyTorch cases in the browser bundle (replaces torchCases.ts): `room build`
 * copies the package's data/ into the site's files/data/, so cases.json is a URL beside the
 * bundle's folder (stripes/stripes.js → ../files/data/exercises/cases.json). check() is
 * synchronous, so the file is read with a synchronous request, which a worker (the room's
 * kernel) may make; it is read once.
 */
import { readBytesSync } from "../../platform/files";
import { ExerciseError } from "./exercise";
import type { TorchCase } from "./torchCases";

export type { TensorJson, InputJson, OutputJson, TorchCase } from "./torchCases";

/** The bundle's own address, which scripts/build-browser.js puts in its banner. */
declare const __stripesBundleUrl: string | undefined;

export const CASES_FILE = typeof __stripesBundleUrl === "string" ? new URL("../files/data/exercises/cases.json", __stripesBundleUrl).href : "data/exercises/cases.json";

let loaded: Record<string, TorchCase[]> | undefined;

/** The cases for exercise `id` (read once). */
export function torchCases(id: string): TorchCase[] {
  if (loaded === undefined) {
    let text: string;
    try {
      text = new TextDecoder().decode(readBytesSync(CASES_FILE));
    } catch (err) {
      throw new ExerciseError(`${CASES_FILE}: cannot read the exercises' cases (${(err as Error).message})`);
    }
    loaded = (JSON.parse(text) as { cases: Record<string, TorchCase[]> }).cases;
  }
  const cases = loaded[id];
  if (cases === undefined) throw new ExerciseError(`${CASES_FILE} has no cases for '${id}' (rebuild the room with stripes-gan room build)`);
  return cases;
}
