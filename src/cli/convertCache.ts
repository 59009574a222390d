/**
 * @file The onnx engine for `stripes-gan convert`, with the generator as onnxruntime optimised it
 * kept in the cache folder: a warm run skips reading the checkpoint into tfjs, the ONNX export
 * and the graph optimisation (and never loads tfjs).
 *
 * Key: SHA-256 of the checkpoint's bytes, stripes' version, onnxruntime's version and the
 * session settings, and this machine's CPU (a level-"all" model holds CPU-specific layouts). A
 * changed checkpoint is a new key. An entry is one file: a header line (channels, payload length
 * and SHA-256), then the model; one that does not check out is ignored and rewritten. Writes
 * are atomic; an unwritable cache folder costs a one-line warning and the run goes on.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { arch, cpus } from "node:os";
import { join } from "node:path";
import { tempPathFor, writeFileAtomic } from "../atomicWrite";
import { Engine, createOnnxEngine } from "../engine/engine";
import { cacheDir } from "../fetch/fetch";

/** Bump when the entry's layout or the exporter's output changes within one stripes version. */
const FORMAT = "stripes-onnx-cache 2";

export interface ConvertModel {
  engine: Engine;
  input_nc: number;
  output_nc: number;
  /** "hit", "miss" (written), or "off" (not writable: the warning says why). */
  cache: "hit" | "miss" | "off";
}

function version(pkg: string): string {
  return require(`${pkg}/package.json`).version as string;
}

/** The cache file's name for these checkpoint bytes and settings. */
export function cacheKey(checkpoint: Uint8Array, threads: number): string {
  const h = createHash("sha256");
  h.update(createHash("sha256").update(checkpoint).digest("hex"));
  for (const part of [FORMAT, version("../.."), version("onnxruntime-node"), `threads=${threads}`, "level=all", arch(), cpus()[0]?.model ?? "?"]) {
    h.update("\0" + part);
  }
  return h.digest("hex").slice(0, 32);
}

interface Header {
  format: string;
  input_nc: number;
  output_nc: number;
  length: number;
  sha256: string;
}

/** The entry's channels and model bytes, or null when it is missing or does not check out. */
export function readEntry(path: string): { input_nc: number; output_nc: number; model: Uint8Array } | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  const nl = bytes.indexOf(0x0a);
  if (nl < 0 || nl > 1000) return null;
  let h: Header;
  try {
    h = JSON.parse(bytes.subarray(0, nl).toString("utf8"));
  } catch {
    return null;
  }
  const model = bytes.subarray(nl + 1);
  if (h.format !== FORMAT || model.length !== h.length || createHash("sha256").update(model).digest("hex") !== h.sha256) return null;
  return { input_nc: h.input_nc, output_nc: h.output_nc, model };
}

function entryBytes(input_nc: number, output_nc: number, model: Uint8Array): Buffer {
  const header: Header = { format: FORMAT, input_nc, output_nc, length: model.length, sha256: createHash("sha256").update(model).digest("hex") };
  return Buffer.concat([Buffer.from(JSON.stringify(header) + "\n"), model]);
}

/**
 * The onnx engine on the generator in `weights` (intra-op `threads`), from the cache when it
 * holds this checkpoint. `warn` gets at most one line.
 */
export async function onnxEngineFor(weights: string, threads: number, warn: (line: string) => void, dir = cacheDir()): Promise<ConvertModel> {
  let checkpoint: Buffer;
  try {
    checkpoint = readFileSync(weights);
  } catch {
    // loadGenerator words a missing or unreadable checkpoint (and throws); let it.
    return fromCheckpoint(weights, weights, threads, null, warn);
  }
  const path = join(dir, "onnx", `${cacheKey(checkpoint, threads)}.ortmodel`);
  const entry = readEntry(path);
  if (entry !== null) {
    try {
      const engine = await createOnnxEngine(entry.model, { threads, graphOptimizationLevel: "disabled" });
      return { engine, input_nc: entry.input_nc, output_nc: entry.output_nc, cache: "hit" };
    } catch {
      // Checked bytes onnxruntime still refuses (another build of it): made again and rewritten below.
    }
  }
  return fromCheckpoint(checkpoint, weights, threads, path, warn);
}

/** The engine made from the checkpoint (its bytes as read for the key, so the file is read once). */
async function fromCheckpoint(
  checkpoint: Uint8Array | string,
  weights: string,
  threads: number,
  path: string | null,
  warn: (line: string) => void,
): Promise<ConvertModel> {
  // Needs tfjs: imported here only, so a cache hit never loads it.
  const { loadGenerator } = await import("../models/loadGenerator");
  const { exportOnnx } = await import("../engine/exportOnnx");
  const { module: netG } = await loadGenerator(checkpoint, { name: weights });
  let model: Uint8Array;
  try {
    netG.eval();
    model = exportOnnx(netG, netG.input_nc);
  } finally {
    netG.dispose();
  }
  const { input_nc, output_nc } = netG;
  let tmp: string | null = null;
  if (path !== null) {
    try {
      mkdirSync(join(path, ".."), { recursive: true });
      tmp = tempPathFor(path) + ".onnx";
    } catch (err) {
      warn(`stripes: cache folder ${join(path, "..")} is not writable (${(err as NodeJS.ErrnoException).code ?? err}); the model is optimised again on every run`);
    }
  }
  let engine: Engine;
  try {
    engine = await createOnnxEngine(model, { threads, optimizedModelFilePath: tmp ?? undefined });
  } catch (err) {
    if (tmp === null) throw err;
    // onnxruntime could not save there (a folder that refuses files): without the cache, then.
    rmSync(tmp, { force: true });
    warn(`stripes: cannot write the cache in ${join(path!, "..")}; the model is optimised again on every run`);
    return { engine: await createOnnxEngine(model, { threads }), input_nc, output_nc, cache: "off" };
  }
  if (tmp === null) return { engine, input_nc, output_nc, cache: "off" };
  try {
    writeFileAtomic(path!, entryBytes(input_nc, output_nc, readFileSync(tmp)));
    return { engine, input_nc, output_nc, cache: "miss" };
  } catch (err) {
    warn(`stripes: cannot write the cache file ${path} (${(err as NodeJS.ErrnoException).code ?? err}); the model is optimised again on every run`);
    return { engine, input_nc, output_nc, cache: "off" };
  } finally {
    rmSync(tmp, { force: true });
  }
}
