/**
 * @file Play: a play/pause control that counts `value` from min to max, one `step` every
 * `interval` ms. The timer runs in the front end (ipywidgets' PlayModel): the kernel sees a
 * stream of value updates, one per tick, and runs the observers of each.
 */
import { BOUNDED_PROPERTIES, BoundedNumber, type BoundedOptions } from "./bounded";
import { layoutAndStyle } from "./domWidget";
import { controlsSpec, syncedProperties } from "./widget";

export interface PlayOptions extends BoundedOptions {
  /** Milliseconds between steps (default 100). */
  interval?: number;
  /** Start again from min at the end. */
  repeat?: boolean;
  /** Show the repeat toggle (default true). */
  showRepeat?: boolean;
  playing?: boolean;
}

export interface Play {
  interval: number;
  repeat: boolean;
  showRepeat: boolean;
  playing: boolean;
}

/**
 * **Example**
 * ```ts
 * const t = new widgets.Play({ max: 50, interval: 200 });
 * t.observe(({ new: step }) => drawStep(step), "value");
 * ```
 */
export class Play extends BoundedNumber {
  constructor(options: PlayOptions = {}) {
    super(
      controlsSpec("Play"),
      "DescriptionStyle",
      { value: 0, min: 0, max: 100, step: 1 },
      { interval: options.interval ?? 100, playing: options.playing ?? false, repeat: options.repeat ?? false, show_repeat: options.showRepeat ?? true },
      options,
    );
  }
}
syncedProperties(Play, [...BOUNDED_PROPERTIES, "interval", "repeat", "showRepeat", "playing"]);
layoutAndStyle(Play, true);
