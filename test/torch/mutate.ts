/**
 * @file Fuzzing checkpoints: deterministic mutations of the fixture files (bit flips,
 * truncations, inserted, deleted and overwritten bytes) fed to torch.load. Every case must load
 * or throw a CheckpointError; anything else is a bug, reported with the case's seed so it can be
 * replayed. Shared by test/torch/fuzz.test.ts (a few thousand cases) and bench/fuzz.ts (≥ 10,000).
 */
import { readFileSync, readdirSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import * as torch from "../../src/torch";
import { seededRandom } from "../../src/lessons/shared/random";
import { fixturePath } from "../helpers/fixtures";

/** A seedable generator (mulberry32), so every failure can be replayed from its seed. */
export const random = seededRandom;

/** The well-formed checkpoints the mutations start from. */
export function seeds(): { name: string; bytes: Uint8Array }[] {
  const dir = fixturePath("torch");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".pth"))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(`${dir}/${name}`)) }));
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

/** One mutation of `bytes`, described for a failure report. */
export function mutate(bytes: Uint8Array, rnd: () => number): { bytes: Uint8Array; how: string } {
  const at = () => Math.floor(rnd() * bytes.length);
  const kind = Math.floor(rnd() * 5);
  const out = bytes.slice();
  switch (kind) {
    case 0: { // flip 1 to 8 bits
      const n = 1 + Math.floor(rnd() * 8);
      const where: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = at();
        out[p] ^= 1 << Math.floor(rnd() * 8);
        where.push(p);
      }
      return { bytes: out, how: `bit flips at ${where}` };
    }
    case 1: { // truncate
      const p = at();
      return { bytes: bytes.slice(0, p), how: `truncated to ${p}` };
    }
    case 2: { // insert 1 to 16 random bytes
      const p = at();
      const ins = Uint8Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256));
      const res = new Uint8Array(bytes.length + ins.length);
      res.set(bytes.subarray(0, p));
      res.set(ins, p);
      res.set(bytes.subarray(p), p + ins.length);
      return { bytes: res, how: `inserted ${ins.length} bytes at ${p}` };
    }
    case 3: { // delete 1 to 16 bytes
      const p = at();
      const q = Math.min(bytes.length, p + 1 + Math.floor(rnd() * 16));
      const res = new Uint8Array(bytes.length - (q - p));
      res.set(bytes.subarray(0, p));
      res.set(bytes.subarray(q), p);
      return { bytes: res, how: `deleted ${q - p} bytes at ${p}` };
    }
    default: { // overwrite 1 to 4 bytes with boundary values (lengths, counts, offsets)
      const p = at();
      const n = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < n && p + i < out.length; i++) out[p + i] = INTERESTING[Math.floor(rnd() * INTERESTING.length)];
      return { bytes: out, how: `overwrote ${n} bytes at ${p}` };
    }
  }
}

export interface FuzzReport {
  cases: number;
  loaded: number;
  refused: number;
  /** Largest growth of ArrayBuffer memory during one case, in bytes. */
  maxAllocation: number;
  /** Slowest case, in milliseconds. */
  maxMillis: number;
  /** Distinct error messages with the file name removed, to see what the fuzzer reached. */
  problems: Map<string, number>;
}

/**
 * Runs `cases` mutations from `seed`. Loads with torch.load (tfjs tensors are disposed at once).
 * Throws, naming the case, if anything but a CheckpointError escapes.
 */
export function fuzz(cases: number, seed = 1): FuzzReport {
  const files = seeds();
  const rnd = random(seed);
  const report: FuzzReport = { cases: 0, loaded: 0, refused: 0, maxAllocation: 0, maxMillis: 0, problems: new Map() };
  for (let i = 0; i < cases; i++) {
    const file = files[i % files.length];
    const { bytes, how } = mutate(file.bytes, rnd);
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    try {
      const value = torch.load(bytes, { name: "fuzz.pth" });
      report.loaded++;
      tf.dispose(tensorsIn(value));
    } catch (err) {
      if (!(err instanceof torch.CheckpointError)) {
        throw new Error(`fuzz case ${i} (seed ${seed}, ${file.name}, ${how}): ${(err as Error)?.stack ?? err}`);
      }
      if (err.message.includes("\n")) throw new Error(`fuzz case ${i} (seed ${seed}, ${file.name}, ${how}): a two-line message`);
      report.refused++;
      const problem = err.problem.replace(/\d+/g, "N");
      report.problems.set(problem, (report.problems.get(problem) ?? 0) + 1);
    }
    report.maxMillis = Math.max(report.maxMillis, performance.now() - start);
    report.maxAllocation = Math.max(report.maxAllocation, process.memoryUsage().arrayBuffers - before);
    report.cases++;
  }
  return report;
}

function tensorsIn(x: unknown, out: tf.Tensor[] = [], seen = new Set<unknown>()): tf.Tensor[] {
  if (typeof x !== "object" || x === null || seen.has(x)) return out;
  seen.add(x);
  if (x instanceof tf.Tensor) out.push(x);
  else if (x instanceof Map) for (const v of x.values()) tensorsIn(v, out, seen);
  else if (Array.isArray(x) || x instanceof Set) for (const v of x) tensorsIn(v, out, seen);
  return out;
}
