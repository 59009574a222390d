/**
 * What both kernels do to the converter's JavaScript: the preamble's names, and awaits wrapped so
 * an interrupted run's later awaits throw.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as ts from "typescript";
import { guardAwaits, withoutPreamble } from "../../src/kernelCore/cellCode";

test("the preamble goes and gives the cell's top-level names; other lines stay where they were", () => {
  const { js, runtimeNames } = withoutPreamble("exports.a = exports.b = void 0;\nexports.c = void 0;\nexports.a = 1;\nexports.b = exports.a + 1;");
  assert.equal([...runtimeNames], ["a", "b", "c"]);
  assert.is(js, "\n\nexports.a = 1;\nexports.b = exports.a + 1;");
});

test("every await is wrapped, nested ones inside their outer one, no line moves", () => {
  const out = guardAwaits(ts, "const x = await f(await g());\nawait h;", "G");
  assert.is(out, "const x = await G(f(await G(g())));\nawait G(h);");
  assert.is(guardAwaits(ts, "const y = 1;", "G"), "const y = 1;");
});

test.run();
