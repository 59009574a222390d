/**
 * @file The allow-list: the only Python globals a checkpoint may name, and what each one does
 * when the pickle calls it. Everything else — `os.system`, `builtins.eval`, any class — is
 * refused by the unpickler before anything happens. Modelled on the idea of PyTorch's
 * torch/_weights_only_unpickler.py, with the same list, minus what stripes cannot represent.
 *
 * Allowed, and why:
 * - `collections.OrderedDict` / `collections.Counter`: state dicts (REDUCE, then SETITEMS, then
 *   BUILD with `{'_metadata': …}`), read as a JS `Map`.
 * - `builtins.set` / `frozenset` / `bytes` / `bytearray`, `_codecs.encode`: how protocols 0–2
 *   spell sets and bytes (Python 2's `__builtin__` is read as `builtins`).
 * - `torch._utils._rebuild_tensor{,_v2,_v3}`, `_rebuild_parameter{,_with_state}`,
 *   `torch._tensor._rebuild_from_type_v2`: how tensors are pickled; they build TensorRecords.
 * - `torch.<X>Storage`, `torch.UntypedStorage`: storage types inside persistent ids.
 * - `torch.<dtype>`, `torch.Size`, `torch.device`, `torch.Tensor`, `torch.nn.parameter.Parameter`,
 *   `torch.serialization._get_layout`: arguments of the rebuild functions.
 */
import { DType, DTYPE_GLOBAL, STORAGE_DTYPE } from "./dtypes";
import { StorageRecord, TensorRecord, isTensorRecord } from "./storage";

/** A global the unpickler may push; only allowed ones ever exist. */
export interface PyGlobal {
  readonly kind: "global";
  /** Dotted name, e.g. `torch._utils._rebuild_tensor_v2`. */
  readonly name: string;
  /** REDUCE: `callable(*args)`. Returns the value, or throws a PickleProblem. */
  readonly call?: (args: unknown[]) => unknown;
  /** NEWOBJ: `cls.__new__(cls, *args)`. */
  readonly construct?: (args: unknown[]) => unknown;
  /** Storage types: their dtype (null for UntypedStorage). */
  readonly storageDtype?: DType | null;
  /** `torch.float32` and friends. */
  readonly dtype?: DType;
}

/** A problem with the values a pickle passes to an allowed global (the caller adds file and byte). */
export class PickleProblem extends Error {}

/** Attributes a pickle set with BUILD (OrderedDict's `_metadata`), kept off the objects themselves. */
const attributes = new WeakMap<object, Map<string, unknown>>();

/** BUILD on an allowed object: only dict state on an OrderedDict or a tensor, stored aside. */
export function build(obj: unknown, state: unknown): void {
  const buildable = obj instanceof Map || isTensorRecord(obj);
  if (!buildable) throw new PickleProblem(`BUILD on ${describe(obj)} is not allowed`);
  if (state === null) return;
  if (!(state instanceof Map)) throw new PickleProblem(`BUILD state must be a dict, got ${describe(state)}`);
  let attrs = attributes.get(obj as object);
  if (!attrs) attributes.set(obj as object, (attrs = new Map()));
  for (const [k, v] of state) {
    if (typeof k !== "string") throw new PickleProblem(`BUILD attribute name must be a string, got ${describe(k)}`);
    attrs.set(k, v);
  }
}

/** A short description of a value for error messages. */
export function describe(x: unknown): string {
  if (x === null) return "None";
  if (Array.isArray(x)) return `a sequence of ${x.length}`;
  if (x instanceof Map) return "a dict";
  if (x instanceof Set) return "a set";
  if (x instanceof Uint8Array) return "bytes";
  if (x instanceof StorageRecord) return "a storage";
  if (isTensorRecord(x)) return "a tensor";
  if (typeof x === "object" && (x as PyGlobal).kind === "global") return (x as PyGlobal).name;
  if (typeof x === "string") return `'${x.length > 40 ? x.slice(0, 40) + "…" : x}'`;
  return typeof x === "bigint" ? `${x}` : typeof x === "number" ? `${x}` : typeof x;
}

// --- argument checks --------------------------------------------------------------------

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new PickleProblem(`${name} takes ${want} arguments, got ${args.length}`);
  }
}

function count(x: unknown, what: string): number {
  if (typeof x === "number" && Number.isInteger(x) && x >= 0) return x;
  throw new PickleProblem(`${what} must be a non-negative integer, got ${describe(x)}`);
}

function counts(x: unknown, what: string): number[] {
  if (!Array.isArray(x)) throw new PickleProblem(`${what} must be a tuple, got ${describe(x)}`);
  if (x.length > 64) throw new PickleProblem(`${what} has ${x.length} dimensions (at most 64)`);
  return x.map((v, i) => count(v, `${what}[${i}]`));
}

function makeTensor(storage: unknown, offset: unknown, size: unknown, stride: unknown, requiresGrad: unknown, dtype?: DType): TensorRecord {
  if (!(storage instanceof StorageRecord)) throw new PickleProblem(`tensor storage must be a storage, got ${describe(storage)}`);
  const shape = counts(size, "size");
  const strides = counts(stride, "stride");
  if (strides.length !== shape.length) {
    throw new PickleProblem(`size [${shape}] and stride [${strides}] differ in length`);
  }
  const type = dtype ?? storage.dtype;
  if (type === null) throw new PickleProblem("an untyped storage needs _rebuild_tensor_v3's dtype");
  return {
    kind: "tensor", dtype: type, shape, stride: strides, offset: count(offset, "storage offset"),
    storage, requiresGrad: requiresGrad === true, isParameter: false,
  };
}

function asTensor(x: unknown, what: string): TensorRecord {
  if (!isTensorRecord(x)) throw new PickleProblem(`${what} must be a tensor, got ${describe(x)}`);
  return x;
}

function toDict(args: unknown[], name: string): Map<unknown, unknown> {
  arity(name, args, 0, 1);
  const out = new Map<unknown, unknown>();
  if (args.length === 0) return out;
  const src = args[0];
  if (src instanceof Map) return new Map(src);
  if (!Array.isArray(src)) throw new PickleProblem(`${name} needs a list of pairs, got ${describe(src)}`);
  // Python 2's OrderedDict.__reduce__ passes ([[k, v], …],).
  for (const pair of src) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new PickleProblem(`${name} item must be a pair, got ${describe(pair)}`);
    out.set(pair[0], pair[1]);
  }
  return out;
}

function latin1(text: unknown, what: string): Uint8Array {
  if (typeof text !== "string") throw new PickleProblem(`${what} needs a string, got ${describe(text)}`);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) throw new PickleProblem(`${what}: character U+${c.toString(16)} is not latin-1`);
    out[i] = c;
  }
  return out;
}

// --- the allow-list ---------------------------------------------------------------------

const entries: PyGlobal[] = [];
const add = (name: string, def: Omit<PyGlobal, "kind" | "name"> = {}) => entries.push({ kind: "global", name, ...def });

add("collections.OrderedDict", { call: (a) => toDict(a, "OrderedDict"), construct: () => new Map() });
add("collections.Counter", { call: (a) => toDict(a, "Counter"), construct: () => new Map() });
// Python 3's protocols 0-2 pickle bytes as `bytes()` (empty) or `_codecs.encode(text, 'latin1')`.
const bytesOf = (a: unknown[], name: string): Uint8Array => {
  arity(name, a, 0, 2);
  if (a.length === 0) return new Uint8Array(0);
  if (a[0] instanceof Uint8Array) return a[0].slice();
  return latin1(a[0], name);
};
add("builtins.bytes", { call: (a) => bytesOf(a, "bytes") });
add("builtins.bytearray", { call: (a) => bytesOf(a, "bytearray") });
add("builtins.set", { call: (a) => { arity("set", a, 0, 1); return new Set(a.length ? iterable(a[0], "set") : []); } });
add("builtins.frozenset", { call: (a) => { arity("frozenset", a, 0, 1); return new Set(a.length ? iterable(a[0], "frozenset") : []); } });
add("_codecs.encode", {
  call: (a) => {
    arity("_codecs.encode", a, 1, 2);
    const enc = a.length > 1 ? a[1] : "utf-8";
    if (enc === "latin1" || enc === "latin-1") return latin1(a[0], "_codecs.encode");
    if (enc === "utf-8" || enc === "utf8") {
      if (typeof a[0] !== "string") throw new PickleProblem(`_codecs.encode needs a string, got ${describe(a[0])}`);
      return new Uint8Array(Buffer.from(a[0], "utf8"));
    }
    throw new PickleProblem(`_codecs.encode: encoding ${describe(enc)} is not supported`);
  },
});
add("torch._utils._rebuild_tensor", {
  call: (a) => { arity("_rebuild_tensor", a, 4); return makeTensor(a[0], a[1], a[2], a[3], false); },
});
add("torch._utils._rebuild_tensor_v2", {
  // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]);
  // backward_hooks is None (PyTorch 0.4) or an empty OrderedDict (1.0 on), both ignored.
  call: (a) => { arity("_rebuild_tensor_v2", a, 6, 7); return makeTensor(a[0], a[1], a[2], a[3], a[4]); },
});
add("torch._utils._rebuild_tensor_v3", {
  // (storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype[, metadata])
  call: (a) => {
    arity("_rebuild_tensor_v3", a, 7, 8);
    const dtype = (a[6] as PyGlobal | null)?.dtype;
    if (!dtype) throw new PickleProblem(`_rebuild_tensor_v3 dtype must be a torch dtype, got ${describe(a[6])}`);
    return makeTensor(a[0], a[1], a[2], a[3], a[4], dtype);
  },
});
const rebuildParameter = (a: unknown[]) => {
  const t = asTensor(a[0], "parameter data");
  return { ...t, requiresGrad: a[1] === true, isParameter: true };
};
add("torch._utils._rebuild_parameter", { call: (a) => { arity("_rebuild_parameter", a, 3); return rebuildParameter(a); } });
add("torch._utils._rebuild_parameter_with_state", {
  call: (a) => { arity("_rebuild_parameter_with_state", a, 4); return rebuildParameter(a); },
});
add("torch._tensor._rebuild_from_type_v2", {
  // (func, new_type, args, state): a tensor subclass; we keep the plain tensor func builds.
  call: (a) => {
    arity("_rebuild_from_type_v2", a, 4);
    const func = a[0] as PyGlobal | null;
    if (!func?.call) throw new PickleProblem(`_rebuild_from_type_v2 func must be an allowed function, got ${describe(a[0])}`);
    if (!Array.isArray(a[2])) throw new PickleProblem(`_rebuild_from_type_v2 args must be a tuple, got ${describe(a[2])}`);
    return func.call(a[2]);
  },
});
add("torch.nn.parameter.Parameter", {
  call: (a) => { arity("Parameter", a, 1, 2); return rebuildParameter([a[0], a.length > 1 ? a[1] : true]); },
});
add("torch.Tensor");
add("torch.Size", { call: (a) => { arity("Size", a, 0, 1); return a.length ? counts(a[0], "torch.Size") : []; } });
add("torch.device", {
  call: (a) => {
    arity("device", a, 1, 2);
    if (typeof a[0] !== "string") throw new PickleProblem(`device type must be a string, got ${describe(a[0])}`);
    return a.length > 1 && a[1] !== null ? `${a[0]}:${count(a[1], "device index")}` : a[0];
  },
});
add("torch.serialization._get_layout", {
  call: (a) => { arity("_get_layout", a, 1); return a[0]; },
});
for (const [name, dtype] of DTYPE_GLOBAL) add(`torch.${name}`, { dtype });
for (const [name, dtype] of STORAGE_DTYPE) add(`torch.${name}`, { storageDtype: dtype });
add("torch.UntypedStorage", { storageDtype: null });

function iterable(x: unknown, what: string): Iterable<unknown> {
  if (Array.isArray(x) || x instanceof Set) return x;
  throw new PickleProblem(`${what} needs a list, got ${describe(x)}`);
}

/** Dotted name → allowed global. */
export const ALLOWED_GLOBALS: ReadonlyMap<string, PyGlobal> = new Map(entries.map((g) => [g.name, g]));

/** Renamed modules (torch/serialization.py's `load_module_mapping`, Python 2's builtins). */
const MODULE_MAPPING: ReadonlyMap<string, string> = new Map([
  ["torch.tensor", "torch._tensor"],
  ["__builtin__", "builtins"],
]);

/**
 * Looks a global up; undefined means refused. Like PyTorch, a storage type is recognised by its
 * name whatever torch module holds it (`torch.cuda.FloatStorage` is a FloatStorage).
 */
export function findGlobal(module: string, name: string): PyGlobal | undefined {
  const mod = MODULE_MAPPING.get(module) ?? module;
  if ((mod === "torch" || mod.startsWith("torch.")) && name.endsWith("Storage")) {
    return ALLOWED_GLOBALS.get(`torch.${name}`);
  }
  return ALLOWED_GLOBALS.get(`${mod}.${name}`);
}

/** Carries BUILD attributes over to a copy (the loader copies containers). */
export function copyAttributes(from: object, to: object, convert: (v: unknown) => unknown): void {
  const attrs = attributes.get(from);
  if (attrs) attributes.set(to, new Map([...attrs].map(([k, v]) => [k, convert(v)])));
}

/** A state dict's `_metadata` (module versions) as PyTorch stored it, if any. */
export function metadataOf(stateDict: object): unknown {
  return attributes.get(stateDict)?.get("_metadata");
}
