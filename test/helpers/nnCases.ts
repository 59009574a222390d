/**
 * @file Reading a layer case written by scripts/fixtures/nn.py (or models.py): input `x`,
 * PyTorch's output `y`, the layer's state dict in PyTorch's layout, and its reprs.
 */
import * as tf from "@tensorflow/tfjs-core";
import { readArray, readManifest } from "./fixtures";
import { useBackend, BackendName } from "../../src/backend";

export interface LayerCase {
  x: tf.Tensor;
  y: Float32Array;
  yShape: number[];
  stateDict: Map<string, tf.Tensor>;
  repr: string;
  repr04: string;
}

export function tensorFrom(area: string, name: string): tf.Tensor {
  const { data, shape } = readArray(area, name);
  return tf.tensor(data as Float32Array | Int32Array, shape, data instanceof Int32Array ? "int32" : "float32");
}

export function layerCase(area: string, name: string): LayerCase {
  const entry = readManifest(area)[`${name}.y`];
  const stateDict = new Map<string, tf.Tensor>((entry.keys as string[]).map((k) => [k, tensorFrom(area, `${name}.${k}`)]));
  return {
    x: tensorFrom(area, `${name}.x`),
    y: readArray(area, `${name}.y`).data as Float32Array,
    yShape: entry.shape,
    stateDict,
    repr: entry.repr,
    repr04: entry.repr04,
  };
}

/** The backends every layer test runs on (tfjs-node cannot install here; it would join the list). */
export const TEST_BACKENDS: BackendName[] = ["wasm", "cpu"];

/** `suite.before` hook switching to a backend. */
export const onBackend = (name: BackendName) => async () => {
  await useBackend(name);
};
