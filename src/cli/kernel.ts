/**
 * @file `stripes kernel install`: registers tslab's TypeScript and JavaScript kernels with the
 * Jupyter on this machine, started through this package's own tslab (nothing needs to be on PATH).
 * Running it again replaces the same kernelspecs.
 *
 *   --user              the per-user kernels folder (Jupyter's default when not root)
 *   --sys-prefix        the Python environment's prefix (virtualenv, conda env)
 *   --prefix <folder>   <folder>/share/jupyter/kernels
 *   --python <python>   the Python whose Jupyter should know the kernels (default: jupyter's own)
 */
import type { Command } from "commander";
import { installKernels } from "../jupyter/install";

export function register(program: Command): void {
  const kernel = program.command("kernel").description("manage the tslab Jupyter kernels");
  kernel
    .command("install")
    .description("register the tslab (TypeScript) and jslab (JavaScript) kernels with Jupyter")
    .option("--user", "install in the per-user kernels folder")
    .option("--sys-prefix", "install in the Python environment's prefix")
    .option("--prefix <folder>", "install in <folder>/share/jupyter/kernels")
    .option("--python <python>", "the Python that runs Jupyter (default: found from `jupyter` on PATH)")
    .action((opts: { user?: boolean; sysPrefix?: boolean; prefix?: string; python?: string }) => {
      installKernels({ ...opts, onLine: (line) => process.stderr.write(line + "\n") });
    });
}
