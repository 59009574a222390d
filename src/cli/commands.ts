/**
 * @file The list of subcommands, in the order `stripes --help` shows them. A command file
 * exports `register(program)`, which adds its options (one per line, with defaults) and action.
 * Registering stays cheap: an action imports its command's implementation when it runs, so
 * `stripes --help` and a `convert` served from the cache never load TensorFlow.js.
 */
import type { Command } from "commander";
import { register as convert } from "./convert";
import { register as doctor } from "./doctor";
import { register as exportOnnx } from "./export";
import { register as fetch } from "./fetch";
import { register as inspect } from "./inspect";
import { register as run } from "./run";
import { register as kernel } from "./kernel";
import { register as lessons } from "./lessons";
import { register as room } from "./room";

export type Register = (program: Command) => void;

export const commands: Register[] = [
  convert,
  exportOnnx,
  fetch,
  inspect,
  run,
  lessons,
  room,
  kernel,
  doctor,
];
