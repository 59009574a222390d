/**
 * @file The command line's own error class: a bad combination of arguments or paths (`-o` is a
 * file where a folder is needed, an output exists). main.ts prints any StripesError's message
 * in one line and exits 1.
 */
import { StripesError } from "../errors";

export class CliError extends StripesError {}
