/**
 * @file The zip checkpoint format (torch.save since PyTorch 1.6): `<top>/data.pkl` pickles the
 * object, each storage is the record `<top>/data/<key>`, plus `<top>/version` and
 * `<top>/byteorder`. The container is read with fflate (which understands ZIP64); the records
 * are STORED and 64-byte aligned, so a record is a view of the file, not a copy.
 *
 * Porting note: follows torch/serialization.py's `_load` (`persistent_load(saved_id)`,
 * `loaded_storages`, `load_tensor`) and caffe2/serialize/inline_container.cc (the top folder is
 * named by the first record; `version` or `.data/version`; reader accepts versions 1 to 10).
 */
import { unzipSync } from "fflate";
import { CheckpointError } from "./errors";
import { PickleProblem } from "./globals";
import { count, savedIdType, storageType, text } from "./legacy";
import { unpickle } from "./pickle";
import { StorageRecord } from "./storage";

/** `PK\x03\x04`: a zip archive's first local header. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export const MAX_SUPPORTED_VERSION = 10;

/** The end-of-central-directory record sits in the last 22 + 65535 bytes (its comment's maximum). */
function hasEndRecord(bytes: Uint8Array): boolean {
  for (let e = bytes.length - 22; e >= 0 && bytes.length - e <= 22 + 0xffff; e--) {
    if (bytes[e] === 0x50 && bytes[e + 1] === 0x4b && bytes[e + 2] === 0x05 && bytes[e + 3] === 0x06) return true;
  }
  return false;
}

interface Entry {
  name: string;
  size: number;
  compression: number;
}

/**
 * Reads the archive's records, refusing sizes the file cannot hold before anything is allocated.
 * fflate reads the central directory; when every record is STORED and laid out as PyTorch writes
 * them (local headers back to back, in directory order), the records are views of `bytes`
 * (no copy; PyTorch aligns them to 64 bytes, so tensors can view them in place). Otherwise fflate
 * extracts (copies, or inflates) them.
 */
function readRecords(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  if (!hasEndRecord(bytes)) throw new CheckpointError(file, "truncated or corrupt zip archive: no end-of-central-directory record");
  const entries: Entry[] = [];
  let problem: string | null = null;
  const unzip = (extract: boolean): Record<string, Uint8Array> => {
    entries.length = 0;
    try {
      return unzipSync(bytes, {
        filter: (f) => {
          // A corrupt directory can claim billions of entries; each takes ≥ 46 bytes.
          if (entries.length + 1 > bytes.length / 46) problem = "more entries than the file can hold";
          else if (f.name === "") problem = "a record without a name (the central directory is damaged)";
          else if (!(f.size >= 0 && f.size <= bytes.length)) problem = `record ${f.name} claims ${f.size} bytes`;
          else if (f.compression !== 0 && f.compression !== 8) problem = `record ${f.name} uses compression method ${f.compression}`;
          // Deflate can expand a lot, but a checkpoint's floats barely compress.
          else if (f.compression === 8 && !(f.originalSize >= 0 && f.originalSize <= 4 * bytes.length + (1 << 20))) {
            problem = `record ${f.name} claims ${f.originalSize} bytes uncompressed`;
          }
          if (problem !== null) throw new Error(problem);
          entries.push({ name: f.name, size: f.size, compression: f.compression });
          return extract;
        },
      });
    } catch (err) {
      const message = problem ?? ((err as Error)?.message || String(err));
      throw new CheckpointError(file, `corrupt zip archive: ${message}`);
    }
  };
  unzip(false); // the directory only: names and sizes, nothing extracted
  const views = storedViews(bytes, entries);
  return views ?? new Map(Object.entries(unzip(true)));
}

/** The STORED records as views of `bytes`, or null when the layout is not the simple one. */
function storedViews(bytes: Uint8Array, entries: Entry[]): Map<string, Uint8Array> | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Uint8Array>();
  let at = 0;
  for (const entry of entries) {
    if (entry.compression !== 0 || at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) return null;
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const dataStart = at + 30 + nameLength + extraLength;
    if (method !== 0 || dataStart > bytes.length) return null;
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + at + 30, nameLength).toString(flags & 0x800 ? "utf8" : "latin1");
    const descriptor = (flags & 8) !== 0; // PyTorch's writer streams: sizes follow the data
    let size = descriptor ? entry.size : view.getUint32(at + 18, true);
    if (size === 0xffffffff) size = zip64Size(view, at + 30 + nameLength, extraLength) ?? -1;
    if (name !== entry.name || size !== entry.size || dataStart + size > bytes.length) return null;
    out.set(name, bytes.subarray(dataStart, dataStart + size));
    at = dataStart + size;
    if (descriptor) {
      // [signature PK\7\8] crc-32, then two sizes of 4 bytes (8 with ZIP64): find which by the
      // signature of whatever comes next (a local header or the central directory).
      if (at + 4 <= bytes.length && view.getUint32(at, true) === 0x08074b50) at += 4;
      const next = (p: number) => p + 4 <= bytes.length && (view.getUint32(p, true) === 0x04034b50 || view.getUint32(p, true) === 0x02014b50);
      if (next(at + 12)) at += 12;
      else if (next(at + 20)) at += 20;
      else return null;
    }
  }
  return out;
}

/** A local header's ZIP64 extra field (id 1): uncompressed size, then compressed size. */
function zip64Size(view: DataView, at: number, length: number): number | null {
  for (let p = at; p + 4 <= at + length; p += 4 + view.getUint16(p + 2, true)) {
    if (view.getUint16(p, true) === 1 && view.getUint16(p + 2, true) >= 16 && p + 20 <= view.byteLength) {
      const size = view.getBigUint64(p + 12, true);
      return size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : null;
    }
  }
  return null;
}

export function _load(bytes: Uint8Array, file: string): unknown {
  const fail = (problem: string): never => {
    throw new CheckpointError(file, problem);
  };
  const records = readRecords(bytes, file);
  const first = records.keys().next().value;
  if (first === undefined) fail("the zip archive is empty, not a PyTorch checkpoint");
  const slash = first!.indexOf("/");
  const top = slash < 0 ? "" : first!.slice(0, slash + 1);
  const record = (name: string) => records.get(top + name);

  if (record("constants.pkl")) fail("a TorchScript archive (torch.jit.save), not a torch.save checkpoint");
  const data_pkl = record("data.pkl") ?? fail(`the zip archive has no ${top}data.pkl: not a PyTorch checkpoint`);
  const versionRecord = record("version") ?? record(".data/version");
  if (versionRecord === undefined) fail(`the zip archive has no ${top}version record`);
  const versionText = Buffer.from(versionRecord!).toString("latin1").trim();
  const version = /^\d{1,9}$/.test(versionText) ? Number(versionText) : NaN;
  if (!(version >= 1 && version <= MAX_SUPPORTED_VERSION)) {
    fail(`unsupported checkpoint version '${versionText.slice(0, 20)}' (this reader knows 1 to ${MAX_SUPPORTED_VERSION})`);
  }
  const byteorder = record("byteorder");
  if (byteorder !== undefined) {
    const order = Buffer.from(byteorder).toString("latin1");
    if (order === "big") fail("big-endian checkpoints are not supported");
    if (order !== "little") fail(`unknown byteorder '${order.slice(0, 20)}'`);
  }

  const loaded_storages = new Map<string, StorageRecord>();
  const persistent_load = (saved_id: unknown): StorageRecord => {
    const typename = savedIdType(saved_id);
    if (typename !== "storage") throw new PickleProblem(`unknown persistent id type '${typename}'`);
    const data = (saved_id as unknown[]).slice(1);
    if (data.length !== 4) throw new PickleProblem(`storage persistent id has ${data.length + 1} items, expected 5`);
    const dtype = storageType(data[0]).storageDtype ?? null;
    const key = text(data[1], "storage key");
    const location = text(data[2], "storage location");
    const numel = count(data[3], "storage size");
    const known = loaded_storages.get(key);
    if (known) return known;
    const storage = new StorageRecord(key, dtype, numel, location);
    const name = `data/${key}`;
    const bytes = record(name);
    if (bytes === undefined) throw new PickleProblem(`storage record ${top}${name} is missing`);
    if (bytes.length !== storage.nbytes) {
      throw new PickleProblem(`storage record ${top}${name} holds ${bytes.length} bytes, ${numel} × ${dtype ?? "byte"} needs ${storage.nbytes}`);
    }
    storage.bytes = bytes;
    loaded_storages.set(key, storage);
    return storage;
  };
  return unpickle(data_pkl, 0, { file, persistentLoad: persistent_load, record: `${top}data.pkl` }).value;
}
