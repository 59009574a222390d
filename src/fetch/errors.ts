/**
 * @file Errors of the download area: each message is one line that says what failed and what to do.
 */
import { StripesError } from "../errors";

/** A download failed or gave the wrong bytes. */
export class FetchError extends StripesError {}
