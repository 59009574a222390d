#!/usr/bin/env node
/**
 * @file The `stripes` command. Each subcommand lives in its own file and registers itself on
 * the program; this file only wires them up and turns errors into one line and an exit code.
 *
 * Exit codes: see exit.ts.
 */
import { Command, CommanderError } from "commander";
import { StripesError } from "../errors";
import { commands } from "./commands";
import { EXIT } from "./exit";

export function makeProgram(): Command {
  const program = new Command("stripes-gan")
    .description("Learn and teach GANs in TypeScript: the book's horse-to-zebra CycleGAN, and more")
    .version(require("../../package.json").version, "-V, --version")
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  try {
    await makeProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      return err.exitCode === 0 ? EXIT.ok : EXIT.userError;
    }
    if (err instanceof StripesError) {
      process.stderr.write(`stripes: ${err.message}\n`);
      return EXIT.userError;
    }
    process.stderr.write(`stripes: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
