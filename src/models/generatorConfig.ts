/**
 * @file Reading a ResNet CycleGAN generator's architecture off its state dict, so any checkpoint
 * of the book's layout (junyanz's `ResnetGenerator` with InstanceNorm, as in the chapter) loads
 * without being told its sizes (loadGenerator.ts loads one: this file only judges).
 *
 * Layout of `model` (n = n_blocks), PyTorch shapes:
 *   model.1.weight             [ngf, input_nc, 7, 7]      Conv after ReflectionPad2d(3)
 *   model.4.weight             [2·ngf, ngf, 3, 3]         stride-2 Conv
 *   model.7.weight             [4·ngf, 2·ngf, 3, 3]       stride-2 Conv
 *   model.{10+i}.conv_block.{1,5}.weight  [4·ngf, 4·ngf, 3, 3], i < n
 *   model.{10+n}.weight        [4·ngf, 2·ngf, 3, 3]       ConvTranspose2d (in, out, kH, kW)
 *   model.{13+n}.weight        [2·ngf, ngf, 3, 3]         ConvTranspose2d
 *   model.{17+n}.weight        [output_nc, ngf, 7, 7]     Conv after ReflectionPad2d(3)
 * and a `.bias` of the output size beside each weight.
 */
import * as tf from "@tensorflow/tfjs-core";
import { isRawTensor } from "../torch";
import { ModelError } from "./errors";

export interface GeneratorConfig {
  input_nc: number;
  output_nc: number;
  ngf: number;
  n_blocks: number;
}

/** A state dict that is not a ResNet generator's: one line, saying what is missing or unexpected. */
export class NotAGeneratorError extends ModelError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: not a ResNet CycleGAN generator checkpoint: ${problem}`);
  }
}

/** Every key and PyTorch shape a generator of this configuration has, in state-dict order. */
export function generatorShapes({ input_nc, output_nc, ngf, n_blocks }: GeneratorConfig): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const conv = (prefix: string, weight: number[]) => {
    shapes.set(`${prefix}.weight`, weight);
    shapes.set(`${prefix}.bias`, [weight[0]]);
  };
  const at = (i: number) => `model.${i}`;
  conv(at(1), [ngf, input_nc, 7, 7]);
  conv(at(4), [2 * ngf, ngf, 3, 3]);
  conv(at(7), [4 * ngf, 2 * ngf, 3, 3]);
  for (let i = 0; i < n_blocks; i++) {
    conv(`${at(10 + i)}.conv_block.1`, [4 * ngf, 4 * ngf, 3, 3]);
    conv(`${at(10 + i)}.conv_block.5`, [4 * ngf, 4 * ngf, 3, 3]);
  }
  // ConvTranspose2d weights are [in, out, kH, kW], so their bias has the size of dimension 1.
  shapes.set(`${at(10 + n_blocks)}.weight`, [4 * ngf, 2 * ngf, 3, 3]);
  shapes.set(`${at(10 + n_blocks)}.bias`, [2 * ngf]);
  shapes.set(`${at(13 + n_blocks)}.weight`, [2 * ngf, ngf, 3, 3]);
  shapes.set(`${at(13 + n_blocks)}.bias`, [ngf]);
  conv(at(17 + n_blocks), [output_nc, ngf, 7, 7]);
  return shapes;
}

const list = (keys: string[], max = 3) =>
  keys.slice(0, max).join(", ") + (keys.length > max ? ` (and ${keys.length - max} more)` : "");

/** Anything with a shape: a tfjs tensor, or a checkpoint's tensor before its values are converted. */
type Shaped = { readonly shape: readonly number[] };
const shapeOf = (v: unknown): readonly number[] | undefined =>
  v instanceof tf.Tensor || isRawTensor(v) ? v.shape : undefined;

/**
 * The generator's sizes, read from the state dict's keys and shapes alone (never its values):
 * torch.load's Map of tensors, or loadRaw's of stored tensors. `file` names the checkpoint in
 * the error raised when it is not a generator's state dict (not a Map; missing, unexpected or
 * wrong-shape keys, listed in one line).
 */
export function generatorConfig(stateDict: Map<string, Shaped | unknown> | unknown, file = "state dict"): GeneratorConfig {
  if (!(stateDict instanceof Map)) throw new NotAGeneratorError(file, `it holds ${describe(stateDict)}, not a state dict`);
  const first = shapeOf(stateDict.get("model.1.weight"));
  if (first === undefined || first.length !== 4) {
    const keys = [...stateDict.keys()];
    const has = keys.length === 0 ? "it is empty" : `it has ${list(keys)}`;
    throw new NotAGeneratorError(file, `missing model.1.weight (the first 7×7 convolution); ${has}`);
  }
  const [ngf, input_nc] = first;
  let n_blocks = 0;
  while (stateDict.has(`model.${10 + n_blocks}.conv_block.1.weight`)) n_blocks++;
  const last = shapeOf(stateDict.get(`model.${17 + n_blocks}.weight`));
  const output_nc = last !== undefined && last.length === 4 ? last[0] : 3;
  const config = { input_nc, output_nc, ngf, n_blocks };

  const expected = generatorShapes(config);
  const missing = [...expected.keys()].filter((k) => !stateDict.has(k));
  const unexpected = [...stateDict.keys()].filter((k) => !expected.has(k));
  const wrong = [...expected]
    .filter(([k, shape]) => stateDict.has(k) && shapeOf(stateDict.get(k))?.join(",") !== shape.join(","))
    .map(([k, shape]) => {
      const s = shapeOf(stateDict.get(k));
      return `${k} is ${s ? `[${s.join(", ")}]` : describe(stateDict.get(k))}, expected [${shape.join(", ")}]`;
    });
  const problems = [
    missing.length > 0 ? `missing ${list(missing)}` : "",
    unexpected.length > 0 ? `unexpected ${list(unexpected)}` : "",
    wrong.length > 0 ? list(wrong, 2) : "",
  ].filter(Boolean);
  if (problems.length > 0) throw new NotAGeneratorError(file, problems.join("; "));
  return config;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return "a list";
  return typeof x === "object" ? `a ${(x as object).constructor?.name ?? "object"}` : `a ${typeof x}`;
}
