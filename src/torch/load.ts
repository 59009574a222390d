/**
 * @file `torch.load`: reads a checkpoint (zip or legacy format) into JS values.
 *
 * Python → JS: dict / OrderedDict → `Map` (file order), list and tuple → array, set → `Set`,
 * None → null, int → number (BigInt beyond 2^53), float → number, str → string,
 * bytes → Uint8Array, tensor → `tf.Tensor` (float16/bfloat16/float64 → float32; int64 → int32
 * when every value fits, else an error naming the key; int16/int8/uint8 → int32; bool → bool).
 * `loadRaw` stops before tfjs: tensors come back as RawTensor records holding the stored values
 * at full precision (int64 as BigInt64Array, float64 as Float64Array).
 *
 * Porting note: detection follows torch/serialization.py's `load`: a zip signature means the zip
 * format, else the legacy format (the older tar format is refused).
 */
import { basename } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { DType, Values } from "./dtypes";
import { readProblem } from "../errors";
import { CheckpointError } from "./errors";
import { copyAttributes } from "./globals";
import { _legacy_load, isLegacy } from "./legacy";
import { TensorRecord, isTensorRecord, tensorValues } from "./storage";
import { _load, isZip } from "./zip";
import { readBytesSync } from "../platform/files";

export interface LoadOptions {
  /** The name errors start with (default: the file's basename, or `<buffer>`). */
  name?: string;
}

/** A tensor as stored in the checkpoint, its values read at full precision, row-major. */
export interface RawTensor {
  readonly kind: "raw-tensor";
  dtype: DType;
  shape: number[];
  stride: number[];
  /** Storage offset in elements. */
  offset: number;
  /** The storage's key in the file (tensors sharing a storage share a key). */
  storage: string;
  requiresGrad: boolean;
  isParameter: boolean;
  values: Values;
}

export function isRawTensor(x: unknown): x is RawTensor {
  return typeof x === "object" && x !== null && (x as RawTensor).kind === "raw-tensor";
}

/** Nested containers deeper than this are refused (a crafted pickle can nest without limit). */
export const MAX_DEPTH = 1000;

/** Reads the file and unpickles it; tensors are TensorRecords pointing into the file's bytes. */
function readCheckpoint(pathOrBuffer: string | Uint8Array, options: LoadOptions): { file: string; value: unknown } {
  let file: string;
  let bytes: Uint8Array;
  if (typeof pathOrBuffer === "string") {
    file = options.name ?? basename(pathOrBuffer);
    try {
      bytes = readBytesSync(pathOrBuffer);
    } catch (err) {
      throw new CheckpointError(file, `cannot read: ${readProblem(err, "a checkpoint")}`);
    }
  } else if (pathOrBuffer instanceof Uint8Array) {
    file = options.name ?? "<buffer>";
    bytes = pathOrBuffer;
  } else {
    throw new CheckpointError("torch.load", `needs a path or a Uint8Array, but got ${pathOrBuffer === null ? "null" : typeof pathOrBuffer}`);
  }
  if (bytes.length === 0) throw new CheckpointError(file, "empty file, not a PyTorch checkpoint");
  if (isZip(bytes)) return { file, value: _load(bytes, file) };
  if (bytes.length >= 262 && Buffer.from(bytes.subarray(257, 262)).toString("latin1") === "ustar") {
    throw new CheckpointError(file, "a tar-format checkpoint (PyTorch before 0.1.10) is not supported");
  }
  if (isLegacy(bytes)) return { file, value: _legacy_load(bytes, file) };
  throw new CheckpointError(file, "not a PyTorch checkpoint (neither a zip archive nor a legacy pickle)");
}

/**
 * Copies the unpickled value, turning every tensor record into `leaf(record, path)`. Shared
 * objects stay shared and cycles stay cycles; `path` names the tensor in errors
 * (`state_dict.model.1.weight`).
 */
function mapTensors(value: unknown, file: string, leaf: (t: TensorRecord, path: string) => unknown): unknown {
  const seen = new Map<object, unknown>();
  const visit = (x: unknown, path: string, depth: number): unknown => {
    if (typeof x !== "object" || x === null || x instanceof Uint8Array) return x;
    if (seen.has(x)) return seen.get(x);
    if (depth > MAX_DEPTH) throw new CheckpointError(file, `nested deeper than ${MAX_DEPTH} levels at '${path}'`);
    const child = (key: unknown) => (path === "" ? String(key) : `${path}.${String(key)}`);
    if (isTensorRecord(x)) {
      const out = leaf(x, path === "" ? "(root)" : path);
      seen.set(x, out);
      return out;
    }
    if (x instanceof Map) {
      const out = new Map<unknown, unknown>();
      seen.set(x, out);
      for (const [k, v] of x) out.set(k, visit(v, child(k), depth + 1));
      copyAttributes(x, out, (v) => visit(v, child("_metadata"), depth + 1));
      return out;
    }
    if (Array.isArray(x)) {
      const out: unknown[] = [];
      seen.set(x, out);
      x.forEach((v, i) => out.push(visit(v, child(i), depth + 1)));
      return out;
    }
    if (x instanceof Set) {
      const out = new Set<unknown>();
      seen.set(x, out);
      for (const v of x) out.add(visit(v, path, depth + 1));
      return out;
    }
    return x; // globals (a dtype, a class) pass through as they are
  };
  return visit(value, "", 0);
}

function rawTensor(t: TensorRecord, path: string, file: string): RawTensor {
  const values = tensorValues(t);
  if (typeof values === "string") throw new CheckpointError(file, `tensor '${path}': ${values}`);
  return {
    kind: "raw-tensor", dtype: t.dtype, shape: t.shape, stride: t.stride, offset: t.offset,
    storage: t.storage.key, requiresGrad: t.requiresGrad, isParameter: t.isParameter, values,
  };
}

/**
 * A RawTensor's values → a tfjs tensor of the dtype a learner expects (see the file comment),
 * as `load` makes it; `path` and `file` name the tensor in errors. For code that judges a
 * checkpoint by `loadRaw`'s shapes before paying for its values.
 */
export function tensorFromRaw(raw: RawTensor, path: string, file: string): tf.Tensor {
  const { shape, values } = raw;
  switch (raw.dtype) {
    case "float32":
      return tf.tensor(values as Float32Array, shape, "float32");
    case "float64": case "float16": case "bfloat16":
      return tf.tensor(values instanceof Float32Array ? values : Float32Array.from(values as Float64Array), shape, "float32");
    case "int64": {
      const big = values as BigInt64Array;
      const out = new Int32Array(big.length);
      for (let i = 0; i < big.length; i++) {
        const v = big[i];
        if (v > 2147483647n || v < -2147483648n) {
          throw new CheckpointError(file, `int64 tensor '${path}' holds ${v}, outside int32 (tfjs has no int64)`);
        }
        out[i] = Number(v);
      }
      return tf.tensor(out, shape, "int32");
    }
    case "int32":
      return tf.tensor(values as Int32Array, shape, "int32");
    case "int16": case "int8": case "uint8":
      return tf.tensor(Int32Array.from(values as Int16Array), shape, "int32");
    case "bool": // PyTorch reads any non-zero byte as True
      return tf.tensor((values as Uint8Array).map((v) => (v ? 1 : 0)), shape, "bool");
    default:
      throw new CheckpointError(file, `tensor '${path}': dtype ${raw.dtype} is not supported`);
  }
}

/**
 * Loads a checkpoint's object with its tensors as RawTensor records (stored dtype, shape,
 * stride, offset, values at full precision). No tfjs backend needed.
 */
export function loadRaw(pathOrBuffer: string | Uint8Array, options: LoadOptions = {}): unknown {
  const { file, value } = readCheckpoint(pathOrBuffer, options);
  return mapTensors(value, file, (t, path) => rawTensor(t, path, file));
}

/**
 * Loads a checkpoint written by PyTorch's `torch.save` (either format), like `torch.load`:
 * a state dict comes back as a `Map<string, tf.Tensor>` in file order. `await ready()` first.
 * Given a buffer, tensors may share its memory (zip records are read in place): do not change
 * the buffer afterwards.
 *
 * @example
 * const sd = torch.load("horse2zebra_0.4.0.pth") as Map<string, tf.Tensor>;
 * sd.get("model.1.weight")!.shape; // [64, 3, 7, 7] (the article's generator, ngf = 64)
 */
export function load(pathOrBuffer: string | Uint8Array, options: LoadOptions = {}): unknown {
  const { file, value } = readCheckpoint(pathOrBuffer, options);
  const made: tf.Tensor[] = [];
  try {
    return mapTensors(value, file, (t, path) => {
      const tensor = tensorFromRaw(rawTensor(t, path, file), path, file);
      made.push(tensor);
      return tensor;
    });
  } catch (err) {
    for (const t of made) t.dispose(); // a failed load leaks nothing
    throw err;
  }
}
