/**
 * @file Reading test/fixtures/torch/manifest.json (written by scripts/fixtures/torch.py from
 * what PyTorch's torch.load returned) and describing our loaded values in the same tagged JSON.
 */
import { readManifest } from "../helpers/fixtures";
import * as torch from "../../src/torch";

export interface ExpectedTensor {
  dtype: string;
  shape: number[];
  stride: number[];
  offset: number;
  /** Exact values, row-major; ints beyond 2^53 as strings. */
  values: (number | string)[];
  sum: number | string;
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
}

export interface ExpectedCheckpoint {
  value: unknown;
  tensors: Record<string, ExpectedTensor>;
}

export const manifest = readManifest("torch") as {
  checkpoints: Record<string, ExpectedCheckpoint>;
  payload_runs: Record<string, boolean>;
  pickles: Record<string, { hex: string; value: unknown }>;
  /** v3-untyped.zip.pth: the tensors it was made from (PyTorch 1.13 cannot read that form). */
  v3: Record<string, ExpectedTensor>;
  marker: string;
  stripes_save: ExpectedCheckpoint & {
    torch: string;
    crc_ok: boolean;
    aligned: boolean;
    records: string[];
    /** torch.load(written-by-stripes-sd.pth, weights_only=True), and whether it equals the full file's state dict. */
    state_dict_weights_only: unknown;
    state_dict_weights_only_equal: boolean;
  };
};

/** Our loadRaw result in the manifest's tagged form; tensors are collected by path. */
export function describe(x: unknown, tensors: Map<string, torch.RawTensor>, path = ""): unknown {
  const child = (k: unknown) => (path ? `${path}.${String(k)}` : String(k));
  if (torch.isRawTensor(x)) {
    tensors.set(path, x);
    return { $tensor: path };
  }
  if (x instanceof Map) {
    const out: Record<string, unknown> = { $dict: [...x].map(([k, v]) => [describe(k, tensors, path), describe(v, tensors, child(k))]) };
    const metadata = torch.metadataOf(x);
    if (metadata !== undefined) out._metadata = describe(metadata, new Map(), child("_metadata"));
    return out;
  }
  if (Array.isArray(x)) return x.map((v, i) => describe(v, tensors, child(i)));
  if (x instanceof Uint8Array) return { $bytes: Buffer.from(x).toString("hex") };
  if (x instanceof Set) return { $set: [...x].map((v) => describe(v, tensors)).sort((a, b) => (a as number) - (b as number)) };
  if (typeof x === "bigint") return { $int: String(x) };
  return x;
}

/** Stored values as the manifest writes them (numbers, or strings for ints beyond 2^53). */
export function plain(values: torch.Values): (number | string)[] {
  return Array.from(values as ArrayLike<number | bigint>, (v) =>
    typeof v === "bigint" ? (v > 2n ** 53n || v < -(2n ** 53n) ? String(v) : Number(v)) : v,
  );
}
