/**
 * @file Errors of the Jupyter area: registering the kernel, starting and speaking to it, running
 * a notebook. Each message is one line that says what failed and what to do.
 */
import { StripesError } from "../errors";

/** Jupyter or the tslab kernel could not be found, started or spoken to. */
export class KernelError extends StripesError {}

/** A notebook file is unreadable, or one of its cells failed or timed out. */
export class NotebookError extends StripesError {}
