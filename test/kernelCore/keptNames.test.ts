/**
 * The names-kept rule (src/kernelCore/keptNames.ts) on declaration texts shaped like tslab's
 * converter output: reached names keep the cell's declaration, unreached ones are dropped and an
 * earlier declaration of the same name comes back, type-only declarations stay.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as path from "node:path";
import { keptDeclarations } from "../../src/kernelCore/keptNames";

const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(require.resolve("tslab/package.json"))] }));
const K = suite("names kept after a failing cell");

const prev = 'declare const keep = "old";\n';
const cell = 'import { check, ready } from "stripes";\ndeclare const before = 41;\ndeclare const after = 1;\ndeclare const keep = 5;\ninterface Answer {\n    n: number;\n}\ndeclare const a: number, b: number;\n';
const runtime = new Set(["check", "ready", "before", "after", "keep", "a", "b"]);

K("reached names keep the cell's declarations; the rest go; an earlier `keep` comes back", () => {
  const out = keptDeclarations(ts, prev, cell, runtime, new Set(["check", "ready", "before"]));
  assert.ok(out.includes('import { check, ready } from "stripes";'));
  assert.ok(out.includes("declare const before = 41;"));
  assert.not.ok(out.includes("after"));
  assert.ok(out.includes('declare const keep = "old";'));
  assert.not.ok(out.includes("declare const keep = 5;"));
  assert.ok(out.includes("interface Answer"), "type-only declarations are kept");
  assert.not.ok(out.includes("declare const a"));
});

K("nothing unreached: the cell's declarations as they are", () => {
  assert.is(keptDeclarations(ts, prev, cell, runtime, runtime), cell);
});

K("a destructuring declaration is kept when it ran (it writes all its names at once)", () => {
  const out = keptDeclarations(ts, "", cell, runtime, new Set(["a", "b"]));
  assert.ok(out.includes("declare const a: number, b: number;"));
  assert.not.ok(out.includes("import"));
});

K.run();
