/**
 * For the room's browser tests: proof that the lesson computed in the browser alone. A watcher
 * reads /proc every few hundred milliseconds while a lesson runs and collects every process that
 * is a kernel of ours (node running a stripes or tslab kernel) or a Python/Jupyter process, and was
 * not there when the watch began. Polling, not one look at the end, so that a kernel that starts
 * and exits between two looks of a long Run All is still likely to be seen.
 *
 * Two lists: the test's own descendants (what the test, Chromium or `room serve` started: the
 * check), and any other new such process on the machine (printed only: other people's runs share
 * it). Linux only; elsewhere `available` is false and the lists stay empty.
 */
import * as fs from "node:fs";

export interface KernelProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

/** node … kernel/main.js | tslab | stripes … kernel; python / jupyter / ipykernel. */
const KERNEL_LIKE = [
  /\bnode\b.*(?:[/\\]kernel[/\\]main\.(?:js|ts)|\btslab\b|\bkernel\b.*\{?connection)/,
  /(?:^|[/\s])python[\d.]*(?:\s|$)/,
  /(?:^|[/\s])jupyter(?:-[\w-]+)?(?:\s|$)/,
  /\bipykernel(?:_launcher)?\b/,
];

export function isKernelLike(command: string): boolean {
  return KERNEL_LIKE.some((re) => re.test(command));
}

function readProcesses(): Map<number, { ppid: number; command: string }> {
  const all = new Map<number, { ppid: number; command: string }>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const command = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      // stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ")"
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      all.set(Number(name), { ppid, command });
    } catch {
      // the process ended while being read
    }
  }
  return all;
}

function descendsFrom(pid: number, root: number, all: Map<number, { ppid: number }>): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
    if (p === root) return true;
    const next = all.get(p)?.ppid;
    if (next === undefined) return false;
    p = next;
  }
  return false;
}

export interface KernelWatch {
  available: boolean;
  /** Ends the watch: new kernel-like processes started under this test, and elsewhere on the machine. */
  stop(): { ours: KernelProcess[]; others: KernelProcess[] };
}

/** Starts watching (see the file comment). */
export function watchKernelProcesses(everyMs = 500): KernelWatch {
  const available = process.platform === "linux" && fs.existsSync("/proc/self/stat");
  if (!available) return { available, stop: () => ({ ours: [], others: [] }) };
  const before = new Set(readProcesses().keys());
  const ours = new Map<number, KernelProcess>();
  const others = new Map<number, KernelProcess>();
  const look = () => {
    const all = readProcesses();
    for (const [pid, p] of all) {
      if (before.has(pid) || !isKernelLike(p.command) || ours.has(pid) || others.has(pid)) continue;
      (descendsFrom(pid, process.pid, all) ? ours : others).set(pid, { pid, command: p.command });
    }
  };
  const timer = setInterval(look, everyMs);
  timer.unref(); // a test that throws before stop() still ends
  return {
    available,
    stop() {
      clearInterval(timer);
      look();
      return { ours: [...ours.values()], others: [...others.values()] };
    },
  };
}

/**
 * Ends the watch and checks that this test started no kernel-like process; the other new ones on
 * the machine are printed, not counted. Nothing is checked where /proc cannot be read.
 */
export function checkNoKernelStarted(watch: KernelWatch, checks: { check(name: string, ok: boolean, detail?: string): boolean }): void {
  const seen = watch.stop();
  if (!watch.available) return;
  checks.check("no kernel process of ours (node … kernel, python, jupyter) started: the lesson ran in the browser alone", seen.ours.length === 0, seen.ours.map((p) => `${p.pid} ${p.command.slice(0, 120)}`).join(" | "));
  if (seen.others.length > 0) console.log(`  (new elsewhere on the machine, not started by this test: ${seen.others.map((p) => p.command.slice(0, 80)).join(" | ")})`);
}
