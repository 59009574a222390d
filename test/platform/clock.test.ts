/**
 * stopwatch(): in Node, wall and CPU time, both in its line; the browser twin has no CPU clock, so
 * its reading has no CPU seconds and its line says so instead of giving wall time as CPU time.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stopwatch } from "../../src/platform/clock";
import { stopwatch as browserStopwatch } from "../../src/platform/clock.browser";

test("Node: wall and CPU seconds, both in the line", () => {
  const r = stopwatch().read();
  assert.type(r.cpuSeconds, "number");
  assert.ok(r.cpuSeconds! >= 0 && r.wallSeconds >= 0);
  assert.match(r.text, /^\d+ s wall, \d+ s CPU$/);
});

test("browser: wall seconds only, and the line says there is no CPU clock", () => {
  const r = browserStopwatch().read();
  assert.is(r.cpuSeconds, undefined);
  assert.ok(r.wallSeconds >= 0);
  assert.match(r.text, /^\d+ s wall \(a browser has no CPU clock\)$/);
  assert.not.match(r.text, /CPU\b(?! clock)/);
});

test.run();
