/**
 * The worker's cell runner (src/room/worker/cellRunner.ts) on tslab's converter over an in-memory
 * file system, run here in Node (nothing it uses is Node's): the Node kernel's cell semantics —
 * carried declarations, type errors against earlier cells, kept names after a failing cell, the
 * last value, one-line errors, interrupt at `await` — and "stripes" from the module registry,
 * type-checked against the declarations in the map.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { newInterruptCells, requestInterrupt } from "../../../src/kernelCore/interruptFlag";
import { loadCompiler } from "../../../src/room/worker/compiler";
import { WorkerCellRunner } from "../../../src/room/worker/cellRunner";
import { TS_LIB_DIR } from "../../../src/room/worker/memorySys";

const tsDir = path.dirname(require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [path.dirname(require.resolve("tslab/package.json"))] }));
const ts = require(path.join(tsDir, "lib", "typescript.js"));
const nodeSys = ts.sys;

function files(): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of fs.readdirSync(path.join(tsDir, "lib"))) {
    if (/^lib\..*\.d\.ts$/.test(f)) m.set(`${TS_LIB_DIR}/${f}`, fs.readFileSync(path.join(tsDir, "lib", f), "utf8"));
  }
  // A stand-in for the library: the real bundle comes from the browser build.
  m.set("/node_modules/stripes/package.json", JSON.stringify({ name: "stripes", types: "index.d.ts" }));
  m.set("/node_modules/stripes/index.d.ts", "export declare function double(x: number): number;\n");
  return m;
}

let runner: WorkerCellRunner;
test.before(() => {
  runner = new WorkerCellRunner(loadCompiler(files()), { modules: { stripes: { double: (x: number) => 2 * x } } });
});
test.after(() => ts.setSys(nodeSys));

test("a declaration carries to the next cell, whose last expression is the result", async () => {
  assert.equal(await runner.execute("const x: number = 1"), { status: "ok", hasValue: false });
  assert.equal(await runner.execute("x + 1"), { status: "ok", value: 2, hasValue: true });
});

test("a type error against an earlier cell's declaration: one line with line:col", async () => {
  const r = await runner.execute('const y: string = x;');
  assert.is(r.status, "error");
  if (r.status !== "error") return;
  assert.is(r.error.ename, "TypeScriptError");
  assert.match(r.error.evalue, /^1:7 - Type 'number' is not assignable to type 'string'/);
});

test("a thrown error: its name and message; the runner serves the next cell", async () => {
  const r = await runner.execute('throw new RangeError("too far")');
  assert.equal(r.status === "error" && r.error.traceback[0], "RangeError: too far");
  assert.equal(await runner.execute("x"), { status: "ok", value: 1, hasValue: true });
});

test("a failing cell keeps the names it reached", async () => {
  const r = await runner.execute('const kept = 5;\nthrow new Error("after kept");\nconst lost = 6;');
  assert.is(r.status, "error");
  assert.equal(await runner.execute("kept * 2"), { status: "ok", value: 10, hasValue: true });
  const lost = await runner.execute("lost");
  assert.is(lost.status === "error" && lost.error.ename, "TypeScriptError");
});

test('"stripes" resolves to the registered module, typed by the map', async () => {
  assert.equal(await runner.execute('import { double } from "stripes";\ndouble(21)'), { status: "ok", value: 42, hasValue: true });
  const wrong = await runner.execute('double("a")');
  assert.is(wrong.status === "error" && wrong.error.ename, "TypeScriptError");
  const missing = await runner.execute('import * as fs from "fs";\nfs');
  assert.is(missing.status, "error");
});

test("interrupt ends a cell awaiting forever; the next cell runs", async () => {
  const pending = runner.execute("await new Promise(() => {})");
  setTimeout(() => runner.interrupt(), 50);
  const r = await pending;
  assert.is(r.status === "error" && r.error.ename, "KeyboardInterrupt");
  assert.equal(await runner.execute("x"), { status: "ok", value: 1, hasValue: true });
});

test("is_complete, completion and inspect come from the converter", () => {
  assert.is(runner.isComplete("function f() {").status, "incomplete");
  assert.is(runner.isComplete("1 + 1").status, "complete");
  assert.ok(runner.complete("kep", 3).matches.includes("kept"));
  assert.match(runner.inspect("kept", 1) ?? "", /kept/);
});

/**
 * Another thread Stops the worker's running cell through the shared cells, as the page does
 * (kernelCore/interruptFlag.ts's requestInterrupt, loaded from the same source): `ms` after
 * it starts, while this thread is stuck in the cell's loop.
 */
function stopAfter(cells: Int32Array, ms: number): Worker {
  const flagFile = require.resolve("../../../src/kernelCore/interruptFlag.ts");
  return new Worker(
    `require("ts-node").register({ transpileOnly: true });
     const { workerData } = require("node:worker_threads");
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     require(workerData.flagFile).requestInterrupt(workerData.cells);`,
    { eval: true, workerData: { cells, ms, flagFile } },
  );
}

test("Stop ends a synchronous loop after an await, in a function of an earlier cell too; names are kept and the next cell runs", async () => {
  const cells = newInterruptCells();
  const guarded = new WorkerCellRunner(loadCompiler(files()), { interruptFlag: cells });
  assert.equal(await guarded.execute("let before = 41;\nfunction spin() { let n = 0; while (true) n++; }"), { status: "ok", hasValue: false });
  for (const cell of ["await Promise.resolve();\nwhile (true) {}", "await Promise.resolve();\nfor (;;) { for (let i = 0; i < 10; i++) {} }", "await Promise.resolve();\nspin();"]) {
    const stopper = stopAfter(cells, 300);
    const r = await guarded.execute(cell);
    await stopper.terminate();
    assert.is(r.status, "error", cell);
    assert.is(r.status === "error" && r.error.ename, "KeyboardInterrupt", cell);
  }
  assert.equal(await guarded.execute("before + 1"), { status: "ok", value: 42, hasValue: true });
});

test("a Stop that targets a run that is over does not end the next cell", async () => {
  const cells = newInterruptCells();
  const guarded = new WorkerCellRunner(loadCompiler(files()), { interruptFlag: cells });
  (globalThis as any).stopNow = () => requestInterrupt(cells);
  // Stop arrives while this cell runs, but it has no loop or await left to end: it completes.
  assert.is((await guarded.execute("let k = 0;\nvoid (globalThis as any).stopNow();")).status, "ok");
  assert.is(requestInterrupt(cells), 0, "idle: a Stop targets nothing");
  assert.equal(await guarded.execute("for (let i = 0; i < 1e5; i++) k++;\nk"), { status: "ok", value: 1e5, hasValue: true });
});

test.run();
