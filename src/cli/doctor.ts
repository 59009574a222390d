/**
 * @file `stripes-gan doctor`: checks that this machine can run the lessons, and says how to fix
 * what it cannot. One line per check: ✓ fine, ! works but could be better, ✗ broken.
 * Exit code 0 when nothing is broken, 1 otherwise. The checks are in doctorChecks.ts, loaded
 * when the command runs (they load tfjs, sharp and onnxruntime to try them).
 *
 *   --offline          lesson files not downloaded yet are a failure, not a warning (a workshop machine)
 *   --python <python>  the Python that runs Jupyter (default: found from `jupyter` on PATH)
 *   --json             the results as JSON on stdout
 */
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("doctor")
    .description("check that this machine can run the lessons, and say how to fix what it cannot")
    .option("--offline", "treat lesson files not downloaded yet as a failure (for a room without internet)", false)
    .option("--python <python>", "the Python that runs Jupyter (default: found from `jupyter` on PATH)")
    .option("--json", "print the results as JSON", false)
    .action(async (opts: { offline: boolean; python?: string; json: boolean }) => {
      const { formatResult, runChecks } = await import("./doctorChecks");
      const results = await runChecks({ offline: opts.offline, python: opts.python });
      if (opts.json) process.stdout.write(JSON.stringify(results, null, 1) + "\n");
      else process.stdout.write(results.map(formatResult).join("\n") + "\n");
      const failed = results.filter((r) => r.status === "fail").length;
      if (!opts.json) process.stdout.write(failed === 0 ? "the set-up works\n" : `${failed} problem${failed > 1 ? "s" : ""} to fix\n`);
      process.exitCode = failed === 0 ? 0 : 1;
    });
}
