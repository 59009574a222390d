/** @file The error of the widgets area: a widget given a bad option or value. */
import { StripesError } from "../../errors";

/** A widget given a bad option or value (`IntSlider: min 5 is above max 3`). */
export class WidgetError extends StripesError {}

/** An error as one line, `Name: message`, for errors shown to the learner without a stack trace. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/\s*\n\s*/g, " ");
}
