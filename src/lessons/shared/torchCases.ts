/**
 * @file The coding exercises' test cases, computed with PyTorch by scripts/fixtures/exercises.py
 * and shipped in data/exercises/cases.json (a notebook needs them at run time): each case has
 * inputs, PyTorch's right output, and PyTorch's output for each known mistake.
 */
import { CASES_FILE, readCases } from "./casesFile";
import { ExerciseError } from "./exercise";

export interface TensorJson {
  shape: number[];
  data: number[];
}
/** A tensor, or a state dict given by its shapes (the judge fills it with zeros). */
export type InputJson = TensorJson | { stateDict: Record<string, number[]> };
/** A tensor, or a plain number (a count). */
export type OutputJson = TensorJson | number;

export interface TorchCase {
  inputs: InputJson[];
  expected: OutputJson;
  /** PyTorch's output for each known mistake, by the mistake's name. */
  mistakes: Record<string, OutputJson>;
}

let loaded: Record<string, TorchCase[]> | undefined;

/** The cases for exercise `id` (read once). */
export function torchCases(id: string): TorchCase[] {
  loaded ??= (readCases() as { cases: Record<string, TorchCase[]> }).cases;
  const cases = loaded[id];
  if (cases === undefined) throw new ExerciseError(`${CASES_FILE} has no cases for '${id}': run /usr/bin/python3 scripts/make-fixtures.py exercises`);
  return cases;
}
