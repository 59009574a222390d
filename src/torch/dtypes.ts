/**
 * @file PyTorch's dtypes as stored in checkpoints: their names, element sizes, storage class
 * names (`torch.FloatStorage` …) and how to read their little-endian bytes at full precision.
 *
 * Porting note: names and sizes follow torch/storage.py and torch/_utils.py (`_element_size`).
 */

/** PyTorch's dtype names, as `str(tensor.dtype)` prints them without the `torch.` prefix. */
export type DType =
  | "float64" | "float32" | "float16" | "bfloat16"
  | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool"
  | "complex64" | "complex128"
  | "qint8" | "quint8" | "qint32" | "quint4x2" | "quint2x4";

/** Typed arrays that hold a dtype's values exactly (int64 as BigInt, float16 widened to float32). */
export type Values =
  | Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

export const ELEMENT_SIZE: Record<DType, number> = {
  float64: 8, float32: 4, float16: 2, bfloat16: 2,
  int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
  complex64: 8, complex128: 16,
  qint8: 1, quint8: 1, qint32: 4, quint4x2: 1, quint2x4: 1,
};

/** `torch.<X>Storage` → dtype (torch/storage.py's typed storage classes). */
export const STORAGE_DTYPE: ReadonlyMap<string, DType> = new Map<string, DType>([
  ["DoubleStorage", "float64"], ["FloatStorage", "float32"], ["HalfStorage", "float16"],
  ["BFloat16Storage", "bfloat16"], ["LongStorage", "int64"], ["IntStorage", "int32"],
  ["ShortStorage", "int16"], ["CharStorage", "int8"], ["ByteStorage", "uint8"], ["BoolStorage", "bool"],
  ["ComplexFloatStorage", "complex64"], ["ComplexDoubleStorage", "complex128"],
  ["QInt8Storage", "qint8"], ["QUInt8Storage", "quint8"], ["QInt32Storage", "qint32"],
  ["QUInt4x2Storage", "quint4x2"], ["QUInt2x4Storage", "quint2x4"],
]);

/** dtype → storage class name, for writing. */
export const DTYPE_STORAGE: ReadonlyMap<DType, string> = new Map(
  [...STORAGE_DTYPE].map(([storage, dtype]) => [dtype, storage]),
);

/** The `torch.<name>` globals that pickle a dtype (`torch.float32` …, used by `_rebuild_tensor_v3`). */
export const DTYPE_GLOBAL: ReadonlyMap<string, DType> = new Map<string, DType>([
  ...(Object.keys(ELEMENT_SIZE) as DType[]).map((d) => [d, d] as [string, DType]),
  ["float", "float32"], ["double", "float64"], ["half", "float16"], ["long", "int64"],
  ["int", "int32"], ["short", "int16"], ["cfloat", "complex64"], ["cdouble", "complex128"],
]);

/** The dtypes whose values this package can read (the rest are named in an error). */
export const READABLE: ReadonlySet<DType> = new Set<DType>([
  "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
]);

/** IEEE half → float, exactly (every half is a float). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Reads `count` little-endian elements of `dtype` from `bytes`, element `i` at byte
 * `elementSize · index(i)`, into a typed array holding them exactly.
 * `index` is null for a contiguous run starting at byte 0.
 */
export function readValues(dtype: DType, bytes: Uint8Array, count: number, index: Int32Array | null): Values {
  const size = ELEMENT_SIZE[dtype];
  // Contiguous and aligned: a view, no copy (the caller owns `bytes` and never reuses it).
  if (index === null && bytes.byteOffset % size === 0 && dtype !== "float16" && dtype !== "bfloat16") {
    const view = viewAs(dtype, bytes.buffer, bytes.byteOffset, count);
    if (view) return view;
  }
  if (index === null && dtype !== "float16" && dtype !== "bfloat16") {
    const copy = new Uint8Array(count * size);
    copy.set(bytes.subarray(0, count * size));
    return viewAs(dtype, copy.buffer, 0, count)!;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (i: number) => (index === null ? i : index[i]) * size;
  switch (dtype) {
    case "float16": case "bfloat16": {
      const out = new Float32Array(count);
      const f32 = new Float32Array(1);
      const u32 = new Uint32Array(f32.buffer);
      for (let i = 0; i < count; i++) {
        const h = dv.getUint16(at(i), true);
        if (dtype === "float16") out[i] = halfToFloat(h);
        else { u32[0] = h << 16; out[i] = f32[0]; } // bfloat16 is the top half of a float32
      }
      return out;
    }
    case "float64": { const o = new Float64Array(count); for (let i = 0; i < count; i++) o[i] = dv.getFloat64(at(i), true); return o; }
    case "float32": { const o = new Float32Array(count); for (let i = 0; i < count; i++) o[i] = dv.getFloat32(at(i), true); return o; }
    case "int64": { const o = new BigInt64Array(count); for (let i = 0; i < count; i++) o[i] = dv.getBigInt64(at(i), true); return o; }
    case "int32": { const o = new Int32Array(count); for (let i = 0; i < count; i++) o[i] = dv.getInt32(at(i), true); return o; }
    case "int16": { const o = new Int16Array(count); for (let i = 0; i < count; i++) o[i] = dv.getInt16(at(i), true); return o; }
    case "int8": { const o = new Int8Array(count); for (let i = 0; i < count; i++) o[i] = dv.getInt8(at(i)); return o; }
    case "uint8": case "bool": { const o = new Uint8Array(count); for (let i = 0; i < count; i++) o[i] = dv.getUint8(at(i)); return o; }
    default:
      throw new Error(`readValues: dtype ${dtype} is not readable`);
  }
}

function viewAs(dtype: DType, buffer: ArrayBufferLike, offset: number, count: number): Values | null {
  switch (dtype) {
    case "float64": return new Float64Array(buffer, offset, count);
    case "float32": return new Float32Array(buffer, offset, count);
    case "int64": return new BigInt64Array(buffer, offset, count);
    case "int32": return new Int32Array(buffer, offset, count);
    case "int16": return new Int16Array(buffer, offset, count);
    case "int8": return new Int8Array(buffer, offset, count);
    case "uint8": case "bool": return new Uint8Array(buffer, offset, count);
    default: return null;
  }
}
