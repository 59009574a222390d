/**
 * @file What stripes' JavaScript kernels use of tfjs-backend-wasm's backend: allocating an output
 * on the wasm heap and viewing a tensor's float32 data there. Allocate every output before taking
 * views: an allocation may grow the heap, which detaches views taken earlier.
 */
import * as tf from "@tensorflow/tfjs-core";

export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

export const wasmHeap = (backend: unknown) => backend as WasmHeap;
