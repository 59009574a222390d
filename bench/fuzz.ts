/**
 * @file Fuzzes torch.load with mutated fixture checkpoints (see test/torch/mutate.ts).
 *
 * Usage: npx ts-node bench/fuzz.ts [CASES=20000] [SEED=1]
 * Prints the number of cases run, how many loaded and how many were refused with a
 * CheckpointError, the largest allocation and the slowest case. Exits 1 on anything else.
 */
import { ready } from "../src/backend";
import { fuzz } from "../test/torch/mutate";

async function main() {
  const cases = Number(process.argv[2] ?? 20000);
  const seed = Number(process.argv[3] ?? 1);
  await ready();
  const start = performance.now();
  const report = fuzz(cases, seed);
  const seconds = (performance.now() - start) / 1000;
  console.log(`fuzz: ${report.cases} cases (seed ${seed}) in ${seconds.toFixed(1)} s: ${report.loaded} loaded, ${report.refused} refused with a CheckpointError, 0 other errors`);
  console.log(`fuzz: largest allocation in one case ${(report.maxAllocation / 1024).toFixed(0)} KiB, slowest case ${report.maxMillis.toFixed(1)} ms, ${report.problems.size} distinct problems`);
  const top = [...report.problems].sort((a, b) => b[1] - a[1]).slice(0, 12);
  for (const [problem, n] of top) console.log(`  ${String(n).padStart(6)}  ${problem}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
