/** @file The error of the widgets area: a widget given a bad option or value. */
import { StripesError } from "../../errors";

/** A widget given a bad option or value (`IntSlider: min 5 is above max 3`). */
export class WidgetError extends StripesError {}
