import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stripSolutions, exerciseNotebook, hasSolutions } from "../../src/jupyter/exerciseVersion";
import { joinLines, readNotebook, type Cell } from "../../src/jupyter/nbformat";

const s = suite("exercise versions");

s("an inline solution becomes undefined", () => {
  assert.is(stripSolutions("const a = /* BEGIN SOLUTION */ 0.6 / (0.6 + 0.2) /* END SOLUTION */;\ncheck('x', a);"), "const a = undefined /* your answer */;\ncheck('x', a);");
});

s("a block solution becomes a placeholder return, keeping the indent", () => {
  const src = ["function f(x) {", "  // BEGIN SOLUTION", "  const y = x + 1;", "  return y;", "  // END SOLUTION", "}", "check('f', f);"].join("\n");
  assert.is(stripSolutions(src), ["function f(x) {", "  return undefined as any; // your code here", "}", "check('f', f);"].join("\n"));
});

s("two solutions in one cell are both stripped, and nothing else changes", () => {
  const src = "a = /* BEGIN SOLUTION */ 1 /* END SOLUTION */; b = 2; c = /* BEGIN SOLUTION */ 3 /* END SOLUTION */;";
  assert.is(stripSolutions(src), "a = undefined /* your answer */; b = 2; c = undefined /* your answer */;");
  assert.is(stripSolutions("no markers here"), "no markers here");
  assert.ok(hasSolutions(src));
  assert.not.ok(hasSolutions("b = 2"));
});

s("a notebook's code cells are stripped and their outputs cleared; markdown stays", () => {
  const nb = {
    nbformat: 4,
    cells: [
      { cell_type: "markdown", source: "# BEGIN SOLUTION is only text here", metadata: {} },
      { cell_type: "code", source: ["x = /* BEGIN SOLUTION */ 42", " /* END SOLUTION */"], outputs: [{ output_type: "stream" }], execution_count: 3, metadata: {} },
    ],
  };
  const ex = exerciseNotebook(nb as any);
  assert.is(ex.cells[0], nb.cells[0]);
  assert.is(ex.cells[1].source, "x = undefined /* your answer */");
  assert.equal(ex.cells[1].outputs, []);
  assert.is(ex.cells[1].execution_count, null);
  assert.is((ex as any).nbformat, 4);
});

s.run();

const lessons = suite("the lessons' exercise versions");

lessons("every lesson: ≥ 3 exercises each; the exercise version keeps every check and no solution", () => {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const names = fs.readdirSync(path.join(__dirname, "..", "..", "notebooks")).filter((f) => f.endsWith(".ipynb"));
  assert.ok(names.length >= 3, `${names.length} notebooks`);
  for (const name of names) {
    const nb = readNotebook(path.join(__dirname, "..", "..", "notebooks", name));
    const text = (cells: Cell[]) => cells.map((c) => joinLines(c.source)).join("\n");
    const solved = text(nb.cells);
    const checks = solved.match(/check\("\d\d-[a-z-]+", /g) ?? [];
    assert.ok(checks.length >= 3, `${name}: ${checks.length} exercises`);
    const exercise = text(exerciseNotebook(nb).cells);
    assert.is((exercise.match(/check\("\d\d-[a-z-]+", /g) ?? []).length, checks.length);
    assert.not.match(exercise, /BEGIN SOLUTION|END SOLUTION/);
    assert.is((exercise.match(/your answer \*\/|your code here/g) ?? []).length, checks.length, `${name}: one placeholder per exercise`);
  }
});

lessons.run();
