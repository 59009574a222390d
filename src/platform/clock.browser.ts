/**
 * @file stopwatch() in the browser bundle (replaces clock.ts): a page or worker can read wall time
 * only; no web API tells how much CPU a tab or its worker used. So the reading has no CPU seconds
 * and its text says so, rather than passing wall time off as CPU time.
 */
import type { Stopwatch, StopwatchReading } from "./clock";

export type { Stopwatch, StopwatchReading } from "./clock";

export function stopwatch(): Stopwatch {
  const wall = performance.now();
  return {
    read(): StopwatchReading {
      const wallSeconds = (performance.now() - wall) / 1000;
      return { wallSeconds, cpuSeconds: undefined, text: `${wallSeconds.toFixed(0)} s wall (a browser has no CPU clock)` };
    },
  };
}
