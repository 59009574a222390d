/**
 * The worker's cell runner (src/room/worker/cellRunner.ts) on tslab's converter over an in-memory
 * file system, run here in Node (nothing it uses is Node's): the Node kernel's cell semantics —
 * carried declarations, type errors against earlier cells, kept names after a failing cell, the
 * last value, one-line errors, interrupt at `await` — and "stripes" from the module registry,
 * type-checked against the declarations in the map.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
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

test("syncGuard rewrites the emitted code; the interrupt flag is cleared when a cell starts", async () => {
  const seen: string[] = [];
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const guarded = new WorkerCellRunner(loadCompiler(files()), {
    interruptFlag: flag,
    syncGuard: (js) => {
      seen.push(js);
      return js + "\nexports.guardRan = true;";
    },
  });
  Atomics.store(flag, 0, 1);
  assert.equal(await guarded.execute("let i = 0;\nwhile (i < 3) i++;"), { status: "ok", hasValue: false });
  assert.is(Atomics.load(flag, 0), 0);
  assert.is(seen.length, 1);
  assert.match(seen[0], /while \(i < 3\)/);
  assert.is(guarded.locals.guardRan, true);
  assert.is(guarded.locals.i, 3);
});

test.run();
