/**
 * The loop guard (src/kernelCore/loopGuard.ts) and the interrupt flag (src/kernelCore/interruptFlag.ts),
 * without a kernel: every kind of loop calls the check once per iteration (counted against what
 * the language says the iteration count is), lines stay where they were, the check throws only
 * for the run the interrupt targeted, and neither file imports Node.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { CHECK, guardLoops } from "../../src/kernelCore/loopGuard";
import { InterruptFlag, needsSignal, newInterruptCells, requestInterrupt } from "../../src/kernelCore/interruptFlag";

/** Runs guarded `js` with a counting check; returns [checks, the code's own result]. */
function runCounted(js: string): [number, unknown] {
  let checks = 0;
  const guarded = guardLoops(ts, js);
  const result = new Function(CHECK, guarded)(() => checks++);
  return [checks, result];
}

const cases: [string, string, number][] = [
  ["for with a block", "let n = 0; for (let i = 0; i < 5; i++) { n++; } return n;", 5],
  ["for with one statement", "let n = 0; for (let i = 0; i < 5; i++) n++; return n;", 5],
  ["for with an empty body", "let i = 0; for (; i < 7; i++); return i;", 7],
  ["while", "let n = 0; while (n < 4) n++; return n;", 4],
  ["do…while without braces", "let n = 0; do n++; while (n < 3); return n;", 3],
  ["for…of", "let s = 0; for (const x of [1, 2, 3]) s += x; return s;", 3],
  ["for…in", "const keys = []; for (const k in { a: 1, b: 2 }) keys.push(k); return keys.length;", 2],
  ["nested, unbraced", "let n = 0; for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) n++; return n;", 3 + 12],
  ["continue to a label", "let n = 0; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 4; j++) { n++; continue outer; } } return n;", 3 + 3],
  ["in a function, an arrow and a method", "function f() { let n = 0; while (n < 2) n++; return n; } const g = () => { for (const x of [1, 2]) {} }; class C { m() { for (let i = 0; i < 3; i++) {} } } f(); g(); new C().m(); return 0;", 2 + 2 + 3],
];
for (const [name, js, iterations] of cases) {
  test(`the check runs once per iteration: ${name}`, () => {
    const plain = new Function(js)();
    const [checks, result] = runCounted(js);
    assert.is(checks, iterations);
    assert.is(result, plain, "the guarded code computes what the original does");
  });
}

test("no loop, no change; the guarded code keeps every line where it was", () => {
  assert.is(guardLoops(ts, "const a = 1;\nconst b = a + 1;\n"), "const a = 1;\nconst b = a + 1;\n");
  const js = "let n = 0;\nwhile (true)\n  n++;\nfor (const x of xs) {\n  f(x);\n}\ndo\n  n--;\nwhile (n > 0);\nexports.n = n;\n";
  const guarded = guardLoops(ts, js);
  const lines = js.split("\n");
  const after = guarded.split("\n");
  assert.is(after.length, lines.length);
  for (let i = 0; i < lines.length; i++) assert.ok(after[i].includes(lines[i].trim()), `line ${i + 1}: ${after[i]}`);
});

test("the flag: the check throws only in the run the interrupt targeted, until that run ends", () => {
  const cells = newInterruptCells();
  const flag = new InterruptFlag(cells, () => new Error("interrupted"));
  assert.is(requestInterrupt(cells), 0, "idle: nothing to interrupt");
  flag.begin(1);
  assert.not.throws(flag.check);
  assert.is(requestInterrupt(cells), 1);
  assert.ok(flag.isSet());
  assert.throws(flag.check, /interrupted/);
  assert.throws(flag.check, /interrupted/, "still: a loop that caught it stops again at its next iteration");
  flag.end();
  assert.not.throws(flag.check, "no run: nothing throws");
  flag.begin(2);
  assert.not.ok(flag.isSet(), "an interrupt of run 1 does not reach run 2");
  assert.not.throws(flag.check);
});

test("an interrupt sent as a run ends (it read run 1) leaves the next run alone", () => {
  const cells = newInterruptCells();
  const flag = new InterruptFlag(cells, () => new Error("interrupted"));
  flag.begin(1);
  const run = Atomics.load(cells, 0); // the Stop side read the running run …
  flag.end(); // … the run ended, the next began …
  flag.begin(2);
  Atomics.store(cells, 1, run); // … and only then did it store its target
  assert.not.throws(flag.check);
});

test("a SIGINT: the one the Stop side sent for an ended run is ignored; one from outside ends the running run", () => {
  const cells = newInterruptCells();
  const flag = new InterruptFlag(cells, () => new Error("interrupted"));
  flag.begin(1);
  assert.ok(needsSignal(cells, requestInterrupt(cells)), "no check ended run 1: a SIGINT follows");
  flag.end();
  flag.begin(2);
  assert.not.ok(flag.fromSignal(), "sent for run 1");
  assert.not.throws(flag.check);
  assert.ok(flag.fromSignal(), "no note: a signal from outside (kill -INT, signal mode)");
  assert.throws(flag.check, /interrupted/);
  flag.end();
  assert.not.ok(flag.fromSignal(), "idle");
});

test("no SIGINT once a loop check has ended the run, nor after the run is over", () => {
  const cells = newInterruptCells();
  const flag = new InterruptFlag(cells, () => new Error("interrupted"));
  flag.begin(1);
  const run = requestInterrupt(cells);
  assert.throws(flag.check, /interrupted/);
  assert.not.ok(needsSignal(cells, run));
  flag.end();
  flag.begin(2);
  const run2 = requestInterrupt(cells);
  flag.end();
  assert.not.ok(needsSignal(cells, run2));
});

test("loopGuard.ts and interruptFlag.ts import nothing from Node (the browser kernel is to use them)", () => {
  for (const [file, allowed] of [["loopGuard.ts", ["typescript"]], ["interruptFlag.ts", []]] as const) {
    const text = fs.readFileSync(path.join(__dirname, "..", "..", "src", "kernelCore", file), "utf8");
    const imports = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    assert.equal(imports, allowed, file);
    assert.not.match(text, /\brequire\(|\bprocess\.|\bBuffer\b/, file);
  }
  const guard = fs.readFileSync(path.join(__dirname, "..", "..", "src", "kernelCore", "loopGuard.ts"), "utf8");
  assert.match(guard, /^import type \* as TS from "typescript";$/m, "typescript's types only");
});

test.run();
