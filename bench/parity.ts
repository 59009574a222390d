/**
 * Where stripes' forward pass departs from PyTorch's, layer by layer, on hard weights
 * (a full-size generator, every bias ~N(0, 0.5²)): for each top-level layer, the max |Δ| of
 * stripes (float32, on the backend) and of PyTorch (float32) from PyTorch in float64.
 *
 *     /usr/bin/python3 bench/parity.py bench/out/parity IMAGE && npx ts-node bench/parity.ts [bench/out/parity]
 *
 * STRIPES_BACKEND picks the backend (default: the usual choice). FRESH=1 feeds every layer the
 * float64 answer of the one before (each layer's own error instead of the accumulated one).
 */
import * as tf from "@tensorflow/tfjs-core";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ready } from "../src/backend";
import { loadGenerator } from "../src/models/loadGenerator";

const DIR = process.argv[2] ?? "bench/out/parity";
const read = (name: string) => {
  const b = readFileSync(join(DIR, name));
  const bytes = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  return name.startsWith("f64") ? new Float64Array(bytes) : new Float32Array(bytes);
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const toNHWC = (data: Float32Array, shape: number[]) => tf.transpose(tf.tensor4d(data, shape as [number, number, number, number]), [0, 2, 3, 1]);

async function main() {
  const backend = await ready();
  const info = JSON.parse(readFileSync(join(DIR, "info.json"), "utf8"));
  const { module: netG } = await loadGenerator(join(DIR, "netG-wide-bias.pth"));
  const layers = netG.model.children();
  const fresh = process.env.FRESH === "1";
  console.log(`${backend}, input ${JSON.stringify(info.input)}, PyTorch ${info.torch}${fresh ? ", each layer on float64's input" : ""}`);
  console.log(`   layer              stripes−f64  torch−f64  stripes−torch`);
  let x = toNHWC(read("input.bin") as Float32Array, info.input);
  for (let i = 0; i < layers.length; i++) {
    const y = layers[i].forwardNHWC(x);
    const ours = tf.tidy(() => tf.transpose(y, [0, 3, 1, 2]).dataSync());
    const [truth, torch] = [read(`f64.${i}.bin`), read(`t1.${i}.bin`)];
    const e = (v: number) => v.toExponential(2).padStart(11);
    console.log(`${String(i).padStart(2)} ${layers[i].constructor.name.padEnd(16)} ${e(maxDiff(ours, truth))} ${e(maxDiff(torch, truth))} ${e(maxDiff(ours, torch))}`);
    x.dispose();
    if (fresh) {
      y.dispose();
      x = toNHWC(Float32Array.from(truth), info.shapes[i]);
    } else x = y;
  }
  console.log(`PyTorch itself: 1 vs 2 threads ${info.torch_1_vs_2_threads}, float32 vs float64 ${info.torch_vs_float64}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
