import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { ROOT, distIsFresh } from "../helpers/cli";

// A cycle once broke the CLI: cli/convert.ts took EXIT from main.ts, which imports every
// command; loading convert first left main's command list half-built (`register is not a
// function`, exit 70). tsc's CommonJS shows it, ts-node's emit does not, so this runs the build
// when it is fresh (npm test builds first), in a fresh process (this file shares its module
// cache with the other tests).
// test/layout.test.ts forbids every cycle, including this one, from the sources.
test("loading cli/convert before cli/main still gives a working `stripes --help`", () => {
  const dir = distIsFresh() ? "./dist/cli" : "./src/cli";
  const script = `require("${dir}/convert"); require("${dir}/main").main(["node", "stripes", "--help"]).then((c) => { process.exitCode = c; });`;
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: stripes/);
});

test.run();
