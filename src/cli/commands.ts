/**
 * @file The list of subcommands, in the order `stripes --help` shows them. A command file
 * exports `register(program)`, which adds its options (one per line, with defaults) and action.
 */
import type { Command } from "commander";

export type Register = (program: Command) => void;

export const commands: Register[] = [
];
