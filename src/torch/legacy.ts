/**
 * @file The legacy checkpoint format (torch.save before PyTorch 1.6, and
 * `_use_new_zipfile_serialization=False` since): five pickles back to back, then raw storages.
 *
 * Porting note: follows torch/serialization.py's `_legacy_load` (names kept for review against
 * it): MAGIC_NUMBER, PROTOCOL_VERSION 1001, sys_info, `persistent_load(saved_id)` with
 * `view_metadata`, `deserialized_objects`, `deserialized_storage_keys`; storage bytes as in
 * torch/csrc/generic/serialization.cpp (an int64 element count, then the little-endian data).
 */
import { CheckpointError } from "./errors";
import { PickleProblem, PyGlobal, describe } from "./globals";
import { unpickle } from "./pickle";
import { StorageRecord } from "./storage";

export const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
export const PROTOCOL_VERSION = 1001;

/** A pickle's PROTO opcode: legacy checkpoints start with one (protocol 2 unless torch.save was told otherwise). */
export function isLegacy(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
}

/** The persistent id's type name: str, or bytes from Python 2 writers (`_maybe_decode_ascii`). */
export function savedIdType(saved_id: unknown): string {
  if (!Array.isArray(saved_id) || saved_id.length === 0) {
    throw new PickleProblem(`persistent id must be a tuple, got ${describe(saved_id)}`);
  }
  const t = saved_id[0];
  if (typeof t === "string") return t;
  if (t instanceof Uint8Array) return String.fromCharCode(...t.subarray(0, 64));
  throw new PickleProblem(`persistent id type must be a string, got ${describe(t)}`);
}

/** Checks a storage type from a persistent id; returns its dtype (null: untyped). */
export function storageType(x: unknown): PyGlobal {
  const g = x as PyGlobal | null;
  if (g?.kind !== "global" || g.storageDtype === undefined) {
    throw new PickleProblem(`storage type must be a torch storage class, got ${describe(x)}`);
  }
  return g;
}

export function text(x: unknown, what: string): string {
  if (typeof x === "string") return x;
  if (x instanceof Uint8Array) return Buffer.from(x).toString("latin1");
  throw new PickleProblem(`${what} must be a string, got ${describe(x)}`);
}

export function count(x: unknown, what: string): number {
  if (typeof x === "number" && Number.isInteger(x) && x >= 0) return x;
  throw new PickleProblem(`${what} must be a non-negative integer, got ${describe(x)}`);
}

export function _legacy_load(bytes: Uint8Array, file: string): unknown {
  const fail = (problem: string): never => {
    throw new CheckpointError(file, problem);
  };
  if (!isLegacy(bytes)) fail("not a PyTorch checkpoint (neither a zip archive nor a legacy pickle)");
  let at = 0;
  const next = (persistentLoad?: (pid: unknown) => unknown) => {
    const r = unpickle(bytes, at, { file, persistentLoad });
    at = r.end;
    return r.value;
  };

  const magic_number = next();
  if (typeof magic_number !== "bigint" && typeof magic_number !== "number") {
    fail(`not a PyTorch checkpoint (a pickle of ${describe(magic_number)}, not torch.save's magic number)`);
  }
  if (magic_number !== MAGIC_NUMBER) {
    fail(`invalid magic number 0x${(magic_number as number | bigint).toString(16)} (expected 0x${MAGIC_NUMBER.toString(16)})`);
  }
  const protocol_version = next();
  if (protocol_version !== PROTOCOL_VERSION) fail(`invalid protocol version ${describe(protocol_version)} (expected ${PROTOCOL_VERSION})`);
  const sys_info = next();
  if (!(sys_info instanceof Map)) fail(`sys_info must be a dict, got ${describe(sys_info)}`);
  const little_endian = (sys_info as Map<unknown, unknown>).get("little_endian");
  if (little_endian === false) fail("big-endian checkpoints are not supported");
  if (little_endian !== true) fail(`sys_info.little_endian must be a bool, got ${describe(little_endian)}`);

  const deserialized_objects = new Map<string, StorageRecord>();
  const persistent_load = (saved_id: unknown): StorageRecord => {
    const typename = savedIdType(saved_id);
    if (typename === "module") throw new PickleProblem("refusing pickled module source: not allowed in a checkpoint");
    if (typename !== "storage") throw new PickleProblem(`unknown persistent id type '${typename}'`);
    const data = (saved_id as unknown[]).slice(1);
    if (data.length !== 5) throw new PickleProblem(`storage persistent id has ${data.length + 1} items, expected 6`);
    const dtype = storageType(data[0]).storageDtype ?? null;
    if (dtype === null) throw new PickleProblem("an untyped storage in a legacy checkpoint");
    const root_key = text(data[1], "storage key");
    const location = text(data[2], "storage location");
    const size = count(data[3], "storage size");
    const view_metadata = data[4];
    if (!deserialized_objects.has(root_key)) {
      deserialized_objects.set(root_key, new StorageRecord(root_key, dtype, size, location));
    }
    const storage = deserialized_objects.get(root_key)!;
    if (storage.dtype !== dtype) throw new PickleProblem(`storage ${root_key} is both ${storage.dtype} and ${dtype}`);
    if (view_metadata === null) return storage;
    if (!Array.isArray(view_metadata) || view_metadata.length !== 3) {
      throw new PickleProblem(`view_metadata must be (view_key, offset, size), got ${describe(view_metadata)}`);
    }
    const view_key = text(view_metadata[0], "view key");
    const offset = count(view_metadata[1], "view offset");
    const view_size = count(view_metadata[2], "view size");
    if (offset + view_size > storage.numel) {
      throw new PickleProblem(`view ${view_key} [${offset}, ${offset + view_size}) is outside storage ${root_key} of ${storage.numel}`);
    }
    if (!deserialized_objects.has(view_key)) {
      deserialized_objects.set(view_key, new StorageRecord(view_key, dtype, view_size, location, storage, offset));
    }
    return deserialized_objects.get(view_key)!;
  };

  const result = next(persistent_load);
  const deserialized_storage_keys = next();
  if (!Array.isArray(deserialized_storage_keys)) fail(`storage keys must be a list, got ${describe(deserialized_storage_keys)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const k of deserialized_storage_keys as unknown[]) {
    const key = typeof k === "string" ? k : fail(`storage key must be a string, got ${describe(k)}`);
    const storage = deserialized_objects.get(key) ?? fail(`storage ${key} is listed but no tensor uses it`);
    if (storage.root !== null) fail(`storage ${key} is a view and cannot have its own data`);
    if (bytes.length - at < 8) fail(`truncated: storage ${key} has no element count at byte ${at}`);
    const numel = view.getBigInt64(at, true);
    if (numel !== BigInt(storage.numel)) fail(`storage ${key} has ${numel} elements at byte ${at}, expected ${storage.numel}`);
    at += 8;
    const nbytes = storage.nbytes;
    if (bytes.length - at < nbytes) fail(`truncated: storage ${key} needs ${nbytes} bytes at byte ${at}, ${bytes.length - at} left`);
    storage.bytes = bytes.subarray(at, at + nbytes);
    at += nbytes;
  }
  return result;
}
