import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { ROOT } from "./helpers/cli";

// Issue 12: the public door is the learner's. Run in a fresh process: this file shares its
// module cache with the other tests, which load vega through the lessons' charts.
test('importing "stripes" loads no Vega (charts load it when first drawn) and exports no tooling', () => {
  const script = [
    'const api = require("./src/index");',
    'const vega = Object.keys(require.cache).filter((k) => /node_modules[\\\\/]vega/.test(k));',
    'console.log(JSON.stringify({ vega: vega.length, lessons: Object.keys(api.lessons), top: Object.keys(api) }));',
  ].join("\n");
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const { vega, lessons, top } = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.is(vega, 0);
  for (const tooling of ["stripSolutions", "hasSolutions", "exerciseNotebook"]) assert.not.ok(lessons.includes(tooling), tooling);
  // Thrown only by the CLI's Jupyter tooling (stripes run / kernel install), not by the learner's API.
  for (const name of ["KernelError", "NotebookError"]) assert.not.ok(top.includes(name), name);
  assert.ok(top.includes("StripesError"));
});

test.run();
