/**
 * @file interact: a function re-run whenever one of its controls changes, its output shown
 * below them (ipywidgets' interaction.py, without the guessing of controls from values: here
 * the learner passes the controls). The output area is cleared before each run; what the
 * function returns (when not undefined) is displayed there; an error it throws is shown there as
 * one line, so one bad setting never breaks the controls.
 */
import { display } from "../display";
import { VBox } from "./box";
import { errorLine } from "../../errors";
import { Output } from "./output";
import type { Widget } from "./widget";

/** A widget with a `value`: a slider, dropdown, checkbox, … */
export type ValueWidget<T = unknown> = Widget & { value: T };

/** The values of a set of controls, by the same names. */
export type ValuesOf<C extends Record<string, ValueWidget>> = { [K in keyof C]: C[K]["value"] };

/**
 * Builds the controls and an Output in a VBox, runs `fn` once, and re-runs it on every change;
 * returns the VBox (not displayed: `interact` displays it).
 */
export function interactive<C extends Record<string, ValueWidget>>(fn: (values: ValuesOf<C>) => unknown, controls: C): VBox {
  const out = new Output();
  const box = new VBox([...Object.values(controls), out]);
  const run = () =>
    out.capture(() => {
      out.clear();
      const values = Object.fromEntries(Object.entries(controls).map(([k, w]) => [k, w.value])) as ValuesOf<C>;
      try {
        const result = fn(values);
        if (result instanceof Promise) {
          return result.then((r) => r !== undefined && display(r), (err) => console.error(errorLine(err)));
        }
        if (result !== undefined) display(result);
      } catch (err) {
        console.error(errorLine(err));
      }
    });
  for (const w of Object.values(controls)) w.observe(run, "value");
  void run();
  return box;
}

/**
 * Shows `controls` and below them the output of `fn(values)`, re-run on every change.
 *
 * **Example**
 * ```ts
 * interact(({ n, act }) => console.log(`${n} units of ${act}`), {
 *   n: new widgets.IntSlider({ value: 8, min: 1, max: 64, description: "n" }),
 *   act: new widgets.Dropdown({ options: ["relu", "tanh"] }),
 * });
 * ```
 */
export function interact<C extends Record<string, ValueWidget>>(fn: (values: ValuesOf<C>) => unknown, controls: C): void {
  display(interactive(fn, controls));
}
