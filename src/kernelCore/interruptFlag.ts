/**
 * @file The cooperative interrupt flag: three Int32 cells in a SharedArrayBuffer that the thread
 * receiving Stop writes and the thread running the cell reads, with no help from the event loop.
 *
 * A cell's code after an `await` runs from the microtask queue, outside the `vm` call whose
 * breakOnSigint ends synchronous cells, and a synchronous loop there never lets the main thread
 * back to its event loop (where a SIGINT listener or a worker's message would be seen). Shared
 * memory is the one channel that still gets through: the socket thread stores into it, and the
 * check that loopGuard.ts puts at every loop back-edge of the cell reads it.
 *
 * No Node imports here on purpose: the in-browser kernel (a Web Worker, reached only through
 * SharedArrayBuffer while it runs a cell) is to use the same flag and check.
 *
 * Runs, not booleans: the running thread stores the id of the run it is executing (0 when idle)
 * and the Stop side stores the id of the run it interrupts, read at the moment Stop arrives. An
 * interrupt therefore ends only the run that was executing when it was sent; one that arrives as
 * a cell ends, or while idle, targets a run that is over and is ignored by the next one.
 */

/** The id of the run the main thread is executing, 0 when none (written by the running side). */
const RUNNING = 0;
/** The id of the run an interrupt targets (written by the Stop side). */
const TARGET = 1;
/** The run a SIGINT the Stop side sent itself was meant for, so a late signal can be told apart. */
const SIGNALED = 2;
/** The last run a loop check ended (written by the running side when it throws). */
const ENDED_BY_CHECK = 3;

/** A new flag's memory, to share between the two sides (a worker's workerData, postMessage). */
export function newInterruptCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * The Stop side (the socket thread): targets the run executing now. Returns its id, 0 when the
 * kernel is idle (nothing to interrupt).
 */
export function requestInterrupt(cells: Int32Array): number {
  const run = Atomics.load(cells, RUNNING);
  if (run === 0) return 0;
  Atomics.store(cells, TARGET, run);
  return run;
}

/**
 * The Stop side, a little after `requestInterrupt`: true when `run` still executes and no loop
 * check has ended it (it awaits, or runs code without guarded loops), so a SIGINT is needed; then
 * notes that the signal is meant for `run`. A SIGINT sent when a check had already ended the code
 * could land just as vm's breakOnSigint call returns, which leaves V8's termination request
 * behind; one test run found the kernel spinning at full CPU, answering nothing, after just that.
 */
export function needsSignal(cells: Int32Array, run: number): boolean {
  if (Atomics.load(cells, RUNNING) !== run || Atomics.load(cells, ENDED_BY_CHECK) === run) return false;
  Atomics.store(cells, SIGNALED, run);
  return true;
}

/** How many checks read the flag plainly between two atomic reads (see `check`). */
const ATOMIC_EVERY = 1024;

/** The running side: the interpreter brackets each run with begin/end and installs `check`. */
export class InterruptFlag {
  private run = 0;
  private countdown = ATOMIC_EVERY;

  /** `interrupted()` makes the error the check throws (the kernel's KeyboardInterrupt). */
  constructor(
    readonly cells: Int32Array,
    private readonly interrupted: () => Error,
  ) {}

  begin(run: number): void {
    this.run = run;
    Atomics.store(this.cells, RUNNING, run);
  }

  end(): void {
    this.run = 0;
    Atomics.store(this.cells, RUNNING, 0);
  }

  /** True when an interrupt targets the run executing now. */
  isSet(): boolean {
    return this.run !== 0 && Atomics.load(this.cells, TARGET) === this.run;
  }

  /**
   * What the guarded loops call on each iteration: throws once the current run is interrupted.
   * `Atomics.load` is not inlined by Node 20's compiler (about 30 ns a call, ten times a tight
   * loop's own step: bench/loopGuard.ts), so most checks read the cell plainly. A plain read of
   * shared memory may, by the memory model, be hoisted out of a loop whose body the compiler
   * sees whole (V8 does not do it today); every ATOMIC_EVERY-th check reads atomically, so even
   * then such a loop, whose steps are cheap, stops within that many of them.
   */
  readonly check = (): void => {
    if (--this.countdown > 0) {
      if (this.cells[TARGET] !== this.run || this.run === 0) return;
    } else {
      this.countdown = ATOMIC_EVERY;
      if (Atomics.load(this.cells, TARGET) !== this.run || this.run === 0) return;
    }
    Atomics.store(this.cells, ENDED_BY_CHECK, this.run);
    throw this.interrupted();
  };

  /**
   * A SIGINT reached the main thread (its listener runs only when the event loop comes back, so
   * perhaps long after it was sent). True when it applies to the run executing now: one the Stop
   * side sent for an earlier run does not; one from outside (Jupyter's signal mode, `kill -INT`)
   * applies to whatever runs, and is then noted in the flag for the run's later loops.
   */
  fromSignal(): boolean {
    const sentFor = Atomics.exchange(this.cells, SIGNALED, 0);
    if (this.run === 0 || (sentFor !== 0 && sentFor !== this.run)) return false;
    Atomics.store(this.cells, TARGET, this.run);
    return true;
  }
}
