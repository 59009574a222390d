/**
 * @file stopwatch(): how long a piece of a lesson took, in wall time and, where there is a clock
 * for it, in the kernel's CPU time. On a shared machine the two differ (wall time also counts the
 * other jobs), so a lesson prints both. This is the Node kernel's version (process.cpuUsage: the
 * whole process, every thread); the browser bundle replaces it with clock.browser.ts.
 */

/** What a stopwatch read: wall seconds, CPU seconds when measured, and both in words. */
export interface StopwatchReading {
  wallSeconds: number;
  /** The kernel's CPU seconds (user + system); undefined where nothing measures them. */
  cpuSeconds: number | undefined;
  /** e.g. "226 s wall, 225 s CPU", or the wall time and why there is no CPU time. */
  text: string;
}

export interface Stopwatch {
  /** Time since stopwatch() was called. */
  read(): StopwatchReading;
}

/** Starts a stopwatch. */
export function stopwatch(): Stopwatch {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return {
    read() {
      const wallSeconds = (performance.now() - wall) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6;
      return { wallSeconds, cpuSeconds, text: `${wallSeconds.toFixed(0)} s wall, ${cpuSeconds.toFixed(0)} s CPU` };
    },
  };
}
