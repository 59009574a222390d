/**
 * @file `stripes-gan inspect [--json] FILE`: what a checkpoint holds, one line per tensor — name,
 * dtype, shape, min, max, mean — read with stripes' safe unpickler (nothing in the file runs).
 * The work is in inspectCheckpoint.ts, loaded when the command runs.
 *
 *   --json   one JSON object instead: `{ "<name>": { "dtype", "shape", "min", "max", "mean", "sum" } }`
 */
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("inspect")
    .description("list a PyTorch checkpoint's tensors (name, dtype, shape, min, max, mean) without running anything in it")
    .argument("<file>", "a .pth/.pt file written by torch.save (zip or legacy format)")
    .option("--json", "print one JSON object keyed by tensor name", false)
    .action(async (file: string, opts: { json: boolean }) => {
      const { inspect, toJson, toLines } = await import("./inspectCheckpoint");
      const stats = inspect(file);
      process.stdout.write(opts.json ? toJson(stats) + "\n" : toLines(stats));
    });
}
