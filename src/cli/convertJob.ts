/**
 * @file One photo's trip through `stripes-gan convert` around the generator: loading (decode,
 * channel conversion, Resize, ToTensor) and saving (folder creation, atomic write). Bad files
 * become one-line messages; anything else is a bug and is thrown.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { StripesError } from "../errors";
import type { NCHW } from "../engine/engine";
import { Image } from "../vision/image";
import { Job, folderProblem } from "./convertPlan";
import { postprocess, preprocess } from "./pipeline";

export type Loaded = { ok: true; batch: NCHW } | { ok: false; message: string };
export type Saved = { ok: true } | { ok: false; message: string };

export async function loadJob(job: Job, channels: number, size: number | null): Promise<Loaded> {
  try {
    return { ok: true, batch: preprocess(await Image.open(job.input), channels, size) };
  } catch (err) {
    if (err instanceof StripesError) return { ok: false, message: err.message };
    throw err;
  }
}

/** ToPILImage on the generator's output, then the atomic save; a bad output path becomes a message. */
export async function saveJob(y: NCHW, job: Job): Promise<Saved> {
  try {
    mkdirSync(dirname(job.output), { recursive: true });
  } catch (err) {
    const problem = folderProblem(dirname(job.output), job.output); // a file in the way says so, not EEXIST
    return { ok: false, message: problem ?? `${dirname(job.output)}: cannot create the output folder (${(err as NodeJS.ErrnoException).code ?? err})` };
  }
  try {
    await postprocess(y).save(job.output);
    return { ok: true };
  } catch (err) {
    if (err instanceof StripesError) return { ok: false, message: err.message };
    throw err;
  }
}
