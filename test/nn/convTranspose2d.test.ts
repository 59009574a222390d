/**
 * The index arithmetic behind ConvTranspose2d's phase decomposition (layers.test.ts checks its
 * outputs against PyTorch). In PyTorch's definition, input i reaches output o through tap k when
 * o = i·stride − padding + k.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { phaseTaps } from "../../src/nn/convTranspose2d";

const PhaseTaps = suite("ConvTranspose2d phaseTaps");

PhaseTaps("kernel 3, stride 2, padding 1 (the generator's upsampling)", () => {
  // o = 2i − 1 + k. Even outputs o = 2q: only k = 1 with i = q.
  // Odd outputs o = 2q + 1: k = 2 with i = q, and k = 0 with i = q + 1.
  //              phase 0 (even)  phase 1 (odd)
  // input q     :      1              2
  // input q + 1 :      −              0
  assert.equal(phaseTaps(3, 2, 1), { dMin: 0, taps: [[1, 2], [-1, 0]] });
});

PhaseTaps("kernel 3, stride 1, padding 0: one phase, the flipped kernel over inputs q−2 … q", () => {
  // o = i + k, so output q reads input q − k: tap 2 at offset −2, tap 1 at −1, tap 0 at 0.
  assert.equal(phaseTaps(3, 1, 0), { dMin: -2, taps: [[2], [1], [0]] });
});

PhaseTaps("kernel 2, stride 3: the third phase has no tap (bias only)", () => {
  // o = 3i + k: o = 3q reads tap 0 of input q, o = 3q + 1 tap 1, o = 3q + 2 nothing.
  assert.equal(phaseTaps(2, 3, 0), { dMin: 0, taps: [[0, 1, -1]] });
});

PhaseTaps("every (output, input, tap) triple of PyTorch's definition appears exactly once", () => {
  for (const [k, s, p] of [[3, 2, 1], [4, 2, 1], [5, 3, 2], [3, 1, 1], [7, 2, 3], [2, 3, 0]]) {
    const { dMin, taps } = phaseTaps(k, s, p);
    for (let o = 0; o < 3 * s; o++) {
      const [q, r] = [Math.floor(o / s), o % s];
      const ours = taps.map((row, t) => [q + dMin + t, row[r]]).filter(([, tap]) => tap >= 0);
      const torch: number[][] = [];
      for (let i = q - k; i <= q + k; i++) for (let tap = 0; tap < k; tap++) if (i * s - p + tap === o) torch.push([i, tap]);
      assert.equal(ours.sort(), torch.sort(), `k ${k}, s ${s}, p ${p}, output ${o}`);
    }
  }
});

PhaseTaps.run();
