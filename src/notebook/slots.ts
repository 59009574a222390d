/**
 * @file Every piece of the notebook layer's state that must be one per process, and where it is
 * kept: on `globalThis`, under a `Symbol.for("stripes.…")` key.
 *
 * Why globalThis and not a module variable: one Node process can load stripes twice. The kernel
 * runs from its own install (dist/), and a notebook's `import … from "stripes"` loads the copy in
 * the notebook folder's `node_modules/stripes`; each copy has its own module state. A display
 * sink the kernel installs, a comm the notebook opens, the request the kernel is handling, a
 * widget the control comm must list: each is made by one copy and used by the other. `Symbol.for`
 * gives both copies the same key (a plain `Symbol()` would not), so both read one slot. The keys
 * are versionless: a notebook's older copy meets the kernel's newer one on the same slots.
 *
 * The slots are named here, and only here, so the list of what is shared stays in one place.
 */

/** The shared slots: their `Symbol.for` keys, and what each one holds. */
export const SLOTS = {
  /** The stripes kernel's display sink (display.ts DisplaySink), set by the kernel process at start. */
  kernelDisplay: Symbol.for("stripes.kernel.display"),
  /** The process's one CommManager (comms.ts). */
  comms: Symbol.for("stripes.comms"),
  /** Header of the request the kernel is handling (parent.ts), for the Output widget. */
  parent: Symbol.for("stripes.parent"),
  /** The live widgets by model id (widgets/registry.ts), for the control comm's update_states. */
  widgets: Symbol.for("stripes.widgets"),
  /** A function giving the notebook's names and their values (set by the kernel), for memory(). */
  kernelNames: Symbol.for("stripes.kernel.names"),
  /** Functions that free stripes' own speed caches of tensors (kernels/), run by memory() before it counts. */
  speedCaches: Symbol.for("stripes.speedCaches"),
} as const;

export type SlotName = keyof typeof SLOTS;

/**
 * The key the stripes kernel puts its display sink under (`globalThis[KERNEL_SINK] = sink`). Kept
 * as a name of its own as the kernel process and tests set it directly.
 */
export const KERNEL_SINK = SLOTS.kernelDisplay;

type Slots = { [key: symbol]: unknown };

/** The slot's value, or undefined when no copy has set it. */
export function getSlot<T>(name: SlotName): T | undefined {
  return (globalThis as Slots)[SLOTS[name]] as T | undefined;
}

/** Sets the slot for every copy of stripes in the process (undefined empties it). */
export function setSlot<T>(name: SlotName, value: T | undefined): void {
  (globalThis as Slots)[SLOTS[name]] = value;
}

/** The slot's value, made by `make` by the first copy that asks. */
export function sharedSlot<T>(name: SlotName, make: () => T): T {
  const g = globalThis as Slots;
  const key = SLOTS[name];
  if (g[key] === undefined) g[key] = make();
  return g[key] as T;
}
