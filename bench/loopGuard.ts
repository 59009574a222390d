/**
 * What the kernel's interrupt check (src/kernel/loopGuard.ts + interruptFlag.ts) costs a tight
 * loop: 1e8 iterations of `x = (x + i) | 0`, compiled once as written and once guarded, both run
 * as the kernel runs a cell (vm.runInThisContext, the check a global), alternately; the median of
 * each is reported with the machine's load.
 *
 *   npx ts-node -T bench/loopGuard.ts [runs]
 */
import * as os from "node:os";
import * as vm from "node:vm";
import * as ts from "typescript";
import { CHECK, guardLoops } from "../src/kernelCore/loopGuard";
import { InterruptFlag, newInterruptCells } from "../src/kernelCore/interruptFlag";

const RUNS = Number(process.argv[2] ?? 5);
const N = 1e8;
const body = `(function () { let x = 0; for (let i = 0; i < ${N}; i++) { x = (x + i) | 0; } return x; })`;

const flag = new InterruptFlag(newInterruptCells(), () => new Error("interrupted"));
flag.begin(1); // a run is executing, no interrupt targets it: the check's usual path
(globalThis as any)[CHECK] = flag.check;

const plain = vm.runInThisContext(body) as () => number;
const guarded = vm.runInThisContext(guardLoops(ts, body)) as () => number;

function time(f: () => number): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
if (plain() !== guarded()) throw new Error("the guarded loop computed something else");
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < RUNS; r++) {
  a.push(time(plain));
  b.push(time(guarded));
}
const [ma, mb] = [median(a), median(b)];
console.log(`1e8 iterations, median of ${RUNS}: plain ${ma.toFixed(0)} ms, guarded ${mb.toFixed(0)} ms (+${(mb - ma).toFixed(0)} ms, ${((mb / ma - 1) * 100).toFixed(0)}%, ${(((mb - ma) * 1e6) / N).toFixed(2)} ns an iteration); load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
