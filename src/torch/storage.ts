/**
 * @file What the unpickler builds in place of PyTorch's storages and tensors: plain records that
 * point into the file's bytes. Nothing is copied or allocated until a tensor's values are asked
 * for, and every size the file claims is checked against the bytes it actually has.
 */
import { DType, ELEMENT_SIZE, READABLE, Values, readValues } from "./dtypes";

/** A storage: `numel` elements of `dtype` (bytes for an untyped storage), filled in by the loader. */
export class StorageRecord {
  /** The raw little-endian bytes, once the loader has found them. */
  bytes: Uint8Array | null = null;
  constructor(
    readonly key: string,
    /** null for `torch.UntypedStorage`: bytes whose dtype each tensor gives. */
    readonly dtype: DType | null,
    readonly numel: number,
    readonly location: string,
    /** A legacy view: this storage is `numel` elements from element `offset` of `root`. */
    readonly root: StorageRecord | null = null,
    readonly offset = 0,
  ) {}

  get nbytes(): number {
    return this.dtype === null ? this.numel : this.numel * ELEMENT_SIZE[this.dtype];
  }

  /** The bytes, or null when the file never supplied them. */
  data(): Uint8Array | null {
    if (this.root === null) return this.bytes;
    const rootBytes = this.root.data();
    if (rootBytes === null) return null;
    const size = this.dtype === null ? 1 : ELEMENT_SIZE[this.dtype];
    return rootBytes.subarray(this.offset * size, this.offset * size + this.nbytes);
  }
}

/** A tensor as stored: a strided view of a storage (torch._utils._rebuild_tensor_v2's arguments). */
export interface TensorRecord {
  readonly kind: "tensor";
  dtype: DType;
  shape: number[];
  stride: number[];
  /** In elements, like PyTorch's storage_offset(). */
  offset: number;
  storage: StorageRecord;
  requiresGrad: boolean;
  /** Rebuilt through `_rebuild_parameter` (an nn.Parameter in PyTorch). */
  isParameter: boolean;
}

export function isTensorRecord(x: unknown): x is TensorRecord {
  return typeof x === "object" && x !== null && (x as TensorRecord).kind === "tensor";
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * Views over more elements than their storage holds (stride 0, from `expand`) are materialised
 * only up to this many elements, so a crafted file cannot make us allocate gigabytes.
 */
export const MAX_BROADCAST_ELEMENTS = 1 << 24;

/**
 * The tensor's values in row-major order, read at full precision. Returns a problem (a string)
 * instead when the record does not fit its storage.
 */
export function tensorValues(t: TensorRecord): Values | string {
  if (!READABLE.has(t.dtype)) return `dtype ${t.dtype} is not supported`;
  const size = ELEMENT_SIZE[t.dtype];
  const bytes = t.storage.data();
  if (bytes === null) return `storage ${t.storage.key} has no data in the file`;
  const storageElements = Math.floor(bytes.byteLength / size);
  const n = numelOf(t.shape);
  if (n === 0) return readValues(t.dtype, bytes, 0, null);
  // Highest element the view touches; strides are non-negative in PyTorch.
  let last = t.offset;
  let contiguous = true;
  let expected = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    last += (t.shape[d] - 1) * t.stride[d];
    if (t.shape[d] !== 1 && t.stride[d] !== expected) contiguous = false;
    expected *= t.shape[d];
  }
  if (last >= storageElements) {
    return `view [${t.shape}] stride [${t.stride}] offset ${t.offset} needs ${last + 1} elements, storage ${t.storage.key} has ${storageElements}`;
  }
  if (!contiguous && last > 0x7fffffff) return `strided views of storages over 2^31 elements are not supported`;
  if (n > storageElements && n > MAX_BROADCAST_ELEMENTS) {
    return `view [${t.shape}] of ${n} elements over a storage of ${storageElements} is too large to materialise`;
  }
  if (contiguous) return readValues(t.dtype, bytes.subarray(t.offset * size), n, null);
  const index = new Int32Array(n);
  const rank = t.shape.length;
  const counter = new Array<number>(rank).fill(0);
  let at = t.offset;
  for (let i = 0; i < n; i++) {
    index[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      if (++counter[d] < t.shape[d]) { at += t.stride[d]; break; }
      at -= (t.shape[d] - 1) * t.stride[d];
      counter[d] = 0;
    }
  }
  return readValues(t.dtype, bytes, n, index);
}
