/**
 * @file The one way a ResNet generator checkpoint becomes a module: a path or the file's bytes →
 * its configuration and a ResNetGenerator holding its weights, in eval mode. The file is read
 * once, and its keys and stored shapes are judged once, here: by generatorConfig.ts, before any
 * value is converted, so a checkpoint of something else is reported as that and not as a problem
 * with one of its values (an int64 beyond int32); the weights are then copied without
 * loadStateDict's second check. Errors are one line naming the file.
 *
 *     const { config, module: netG } = await loadGenerator("horse2zebra_0.4.0.pth");
 *     config;   // { input_nc: 3, output_nc: 3, ngf: 64, n_blocks: 9 }
 */
import { existsSync, statSync } from "node:fs";
import type * as tf from "@tensorflow/tfjs-core";
import { ready } from "../backend";
import { CheckpointError, isRawTensor, loadRaw, tensorFromRaw } from "../torch";
import { GeneratorConfig, generatorConfig } from "./generatorConfig";
import { ResNetGenerator } from "./resnetGenerator";

export interface LoadedGenerator {
  config: GeneratorConfig;
  /** In eval mode; dispose it when done. */
  module: ResNetGenerator;
}

export interface LoadGeneratorOptions {
  /** The name errors start with (default: the path; `<buffer>` for bytes). */
  name?: string;
}

/**
 * Reads a generator checkpoint (a path, or its bytes as read once by the caller) into a module.
 * Awaits the backend's `ready()` itself.
 */
export async function loadGenerator(source: string | Uint8Array, { name }: LoadGeneratorOptions = {}): Promise<LoadedGenerator> {
  const file = name ?? (typeof source === "string" ? source : "<buffer>");
  await ready();
  if (typeof source === "string" && existsSync(source) && statSync(source).isDirectory()) {
    throw new CheckpointError(file, "is a folder, not a checkpoint");
  }
  return generatorFrom(loadRaw(source, { name: file }), file);
}

/**
 * A generator from a state dict in memory: torch.load's Map of tensors (the caller's, left as
 * they are) or loadRaw's (converted here, then freed). `await ready()` first.
 */
function generatorFrom(stateDict: unknown, file: string): LoadedGenerator {
  const config = generatorConfig(stateDict, file);
  const made: tf.Tensor[] = [];
  try {
    const tensors = new Map<string, tf.Tensor>();
    for (const [key, value] of stateDict as Map<string, unknown>) {
      const t = isRawTensor(value) ? tensorFromRaw(value, key, file) : (value as tf.Tensor);
      if (t !== value) made.push(t);
      tensors.set(key, t);
    }
    const module = new ResNetGenerator(config.input_nc, config.output_nc, config.ngf, config.n_blocks);
    try {
      // generatorConfig judged every key and shape above, against this very architecture:
      // copied as they are, not judged a second time by loadStateDict.
      module.copyStateDict(tensors);
    } catch (err) {
      module.dispose();
      throw err;
    }
    return { config, module: module.eval() };
  } finally {
    for (const t of made) t.dispose();
  }
}

/**
 * A ResNetGenerator of the state dict's architecture with its weights loaded, in eval mode;
 * `file` names the checkpoint in errors. `await ready()` first.
 */
export function generatorFromStateDict(stateDict: unknown, file = "state dict"): ResNetGenerator {
  return generatorFrom(stateDict, file).module;
}
