/**
 * @file `torch.save`: writes the zip checkpoint format that PyTorch ≥ 1.6 reads with `torch.load`.
 *
 * Records, STORED (uncompressed), each one's data at a multiple of 64 bytes:
 * `<name>/data.pkl` (protocol 2 pickle), `<name>/byteorder` ("little"), `<name>/data/<key>`
 * (raw little-endian storages, keys "0", "1", … in order of first appearance), `<name>/version`
 * ("3\n"). The zip container is fflate's (correct CRC-32s, which PyTorch does not check but other
 * tools do); the 64-byte alignment is PyTorch's: a local-header extra field `FB` + u16 length +
 * `Z` padding.
 *
 * Saved: Map (as collections.OrderedDict, so a state dict round-trips), plain objects (dict),
 * arrays (list), numbers (int when integral, else float), BigInt (int), strings, booleans, null,
 * Uint8Array (bytes), tf.Tensor (float32 / int32 / bool) and RawTensor (at its stored dtype).
 *
 * Porting note: follows torch/serialization.py's `_save` and caffe2/serialize/inline_container.cc
 * (`getPadding`, kFieldAlignment = 64).
 */
import { basename, extname } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { zipSync, ZipOptions } from "fflate";
import { DType, DTYPE_STORAGE, ELEMENT_SIZE, Values } from "./dtypes";
import { CheckpointError } from "./errors";
import { writeCheckpoint } from "./writeCheckpoint";
import { RawTensor, isRawTensor } from "./load";

const ALIGNMENT = 64;
/** Fixed, so saving the same object twice writes the same bytes. */
const MTIME = new Date(2000, 0, 1);

/** A growable byte buffer for the pickle. */
class Writer {
  private buf = new Uint8Array(256);
  length = 0;
  private reserve(n: number): number {
    if (this.length + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    const at = this.length;
    this.length += n;
    return at;
  }
  byte(...bs: number[]) {
    const at = this.reserve(bs.length);
    this.buf.set(bs, at);
  }
  bytes(b: Uint8Array) {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }
  ascii(s: string) {
    this.bytes(Buffer.from(s, "latin1"));
  }
  view(n: number): DataView {
    const at = this.reserve(n);
    return new DataView(this.buf.buffer, at, n);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

interface Storage {
  dtype: DType;
  bytes: Uint8Array;
}

/** Pickles `obj` (protocol 2, as torch.save's default) and collects its storages. */
function pickle(obj: unknown, file: string): { pkl: Uint8Array; storages: Storage[] } {
  const w = new Writer();
  const storages: Storage[] = [];
  const storageKeys = new Map<object, number>();
  const active = new Set<object>();

  const int = (v: number | bigint) => {
    if (typeof v === "number" && v >= 0 && v < 256) w.byte(0x4b, v); // BININT1
    else if (typeof v === "number" && v >= 0 && v < 65536) w.byte(0x4d, v & 0xff, v >> 8); // BININT2
    else if (typeof v === "number" && v >= -(2 ** 31) && v < 2 ** 31) {
      w.byte(0x4a); // BININT
      w.view(4).setInt32(0, v, true);
    } else {
      // LONG1: little-endian two's complement, as few bytes as Python uses.
      let x = BigInt(v);
      const out: number[] = [];
      for (;;) {
        out.push(Number(x & 0xffn));
        x >>= 8n;
        const sign = out[out.length - 1] & 0x80;
        if ((x === 0n && !sign) || (x === -1n && sign)) break;
      }
      w.byte(0x8a, out.length, ...out);
    }
  };
  const str = (s: string) => {
    const b = Buffer.from(s, "utf8");
    w.byte(0x58); // BINUNICODE
    w.view(4).setUint32(0, b.length, true);
    w.bytes(b);
  };
  const global = (module: string, name: string) => w.ascii(`c${module}\n${name}\n`); // GLOBAL
  const tuple = (items: number[]) => {
    w.byte(0x28); // MARK
    for (const v of items) int(v);
    w.byte(0x74); // TUPLE
  };
  const emptyOrderedDict = () => {
    global("collections", "OrderedDict");
    w.byte(0x29, 0x52); // EMPTY_TUPLE, REDUCE
  };
  const tensor = (key: object, dtype: DType, shape: number[], values: () => Values) => {
    let id = storageKeys.get(key);
    const numel = shape.reduce((a, b) => a * b, 1);
    if (id === undefined) {
      const v = values();
      id = storages.length;
      storageKeys.set(key, id);
      storages.push({ dtype, bytes: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) });
    }
    const stride = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    global("torch._utils", "_rebuild_tensor_v2");
    w.byte(0x28); // MARK
    w.byte(0x28); // MARK: the persistent id ('storage', type, key, location, numel)
    str("storage");
    global("torch", DTYPE_STORAGE.get(dtype)!);
    str(String(id));
    str("cpu");
    int(numel);
    w.byte(0x74, 0x51); // TUPLE, BINPERSID
    int(0); // storage offset
    tuple(shape);
    tuple(stride);
    w.byte(0x89); // NEWFALSE: requires_grad
    emptyOrderedDict(); // backward_hooks
    w.byte(0x74, 0x52); // TUPLE, REDUCE
  };

  const value = (x: unknown, path: string): void => {
    const fail = (what: string): never => {
      throw new CheckpointError(file, `cannot save ${what} at '${path || "(root)"}'`);
    };
    const child = (k: unknown) => (path ? `${path}.${String(k)}` : String(k));
    if (x === null || x === undefined) return w.byte(0x4e); // NONE
    if (x === true) return w.byte(0x88); // NEWTRUE
    if (x === false) return w.byte(0x89); // NEWFALSE
    if (typeof x === "bigint") return int(x);
    if (typeof x === "number") {
      if (Number.isSafeInteger(x) && !Object.is(x, -0)) return int(x);
      w.byte(0x47); // BINFLOAT, big-endian
      return w.view(8).setFloat64(0, x, false);
    }
    if (typeof x === "string") return str(x);
    if (typeof x !== "object") return fail(`a ${typeof x}`);
    if (active.has(x)) return fail("a container that contains itself");
    if (x instanceof tf.Tensor) {
      if (x.isDisposed) return fail("a disposed tensor");
      const dtype = ({ float32: "float32", int32: "int32", bool: "bool" } as Record<string, DType>)[x.dtype];
      if (!dtype) return fail(`a ${x.dtype} tensor`);
      return tensor(x, dtype, x.shape, () => {
        const data = x.dataSync();
        return dtype === "bool" ? Uint8Array.from(data as Uint8Array) : (data as Float32Array | Int32Array);
      });
    }
    if (isRawTensor(x)) {
      const raw = x as RawTensor;
      // float16/bfloat16 values were widened to float32 on reading, so cannot be written back.
      if (!DTYPE_STORAGE.has(raw.dtype) || raw.values.BYTES_PER_ELEMENT !== ELEMENT_SIZE[raw.dtype]) {
        return fail(`a ${raw.dtype} raw tensor`);
      }
      return tensor(raw, raw.dtype, raw.shape, () => raw.values);
    }
    active.add(x);
    if (x instanceof Uint8Array) {
      global("_codecs", "encode");
      str(Buffer.from(x).toString("latin1"));
      str("latin1");
      w.byte(0x86, 0x52); // TUPLE2, REDUCE
    } else if (Array.isArray(x)) {
      w.byte(0x5d, 0x28); // EMPTY_LIST, MARK
      x.forEach((v, i) => value(v, child(i)));
      w.byte(0x65); // APPENDS
    } else if (x instanceof Map) {
      emptyOrderedDict();
      w.byte(0x28); // MARK
      for (const [k, v] of x) {
        if (typeof k !== "string" && typeof k !== "number") fail(`a dict key of type ${typeof k}`);
        value(k, path);
        value(v, child(k));
      }
      w.byte(0x75); // SETITEMS
    } else if (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null) {
      w.byte(0x7d, 0x28); // EMPTY_DICT, MARK
      for (const [k, v] of Object.entries(x)) {
        str(k);
        value(v, child(k));
      }
      w.byte(0x75); // SETITEMS
    } else {
      fail(`a ${(x as object).constructor?.name ?? "object"}`);
    }
    active.delete(x);
  };

  w.byte(0x80, 2); // PROTO 2
  value(obj, "");
  w.byte(0x2e); // STOP
  return { pkl: w.result(), storages };
}

/**
 * The checkpoint's bytes, as `torch.save(obj, f)` would write them into a file named
 * `<archiveName>.pth`.
 */
export function serialize(obj: unknown, archiveName = "archive", file = "<buffer>"): Uint8Array {
  const { pkl, storages } = pickle(obj, file);
  const records: [string, Uint8Array][] = [
    ["data.pkl", pkl],
    ["byteorder", Buffer.from("little")],
    ...storages.map((s, i): [string, Uint8Array] => [`data/${i}`, s.bytes]),
    ["version", Buffer.from("3\n")],
  ];
  const entries: Record<string, [Uint8Array, ZipOptions]> = {};
  let offset = 0;
  for (const [name, data] of records) {
    const full = `${archiveName}/${name}`;
    const nameLength = Buffer.byteLength(full, "utf8");
    // Local header (30) + name + the FB field's own 4 bytes, then pad to the alignment.
    const start = offset + 30 + nameLength + 4;
    const pad = (ALIGNMENT - (start % ALIGNMENT)) % ALIGNMENT;
    const extra = { 0x4246: new Uint8Array(pad).fill(0x5a) }; // "FB" as a little-endian u16; "Z"s
    entries[full] = [data, { level: 0, mtime: MTIME, extra }];
    offset = start + pad + data.length;
  }
  if (offset >= 2 ** 32 - 1) throw new CheckpointError(file, "checkpoints of 4 GiB and more need ZIP64, which torch.save here does not write");
  return zipSync(entries);
}

/**
 * Saves `obj` as PyTorch's `torch.save(obj, path)` does (zip format), via a temporary file and
 * a rename, so a failure never leaves half a file. In a browser (the room) the same bytes are
 * offered as a download link in the cell's output instead (writeCheckpoint.browser.ts).
 *
 * @example
 * torch.save(new Map([["weight", tf.ones([2, 2])]]), "tiny.pth");
 * // python: torch.load("tiny.pth") → OrderedDict([('weight', tensor([[1., 1.], [1., 1.]]))])
 */
export function save(obj: unknown, path: string): void {
  const file = basename(path);
  const archiveName = basename(path, extname(path)) || "archive";
  const bytes = serialize(obj, archiveName, file);
  writeCheckpoint(path, bytes);
}
