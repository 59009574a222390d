/**
 * @file Errors of the notebook area: downloading the article's files, registering the kernel,
 * running a notebook. Each message is one line that says what failed and what to do.
 */
import { StripesError } from "../errors";

/** A download failed or gave the wrong bytes. */
export class FetchError extends StripesError {}

/** Jupyter or the tslab kernel could not be found, started or spoken to. */
export class KernelError extends StripesError {}

/** A notebook file is unreadable, or one of its cells failed or timed out. */
export class NotebookError extends StripesError {}
