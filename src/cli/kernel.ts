/**
 * @file `stripes-gan kernel install`: registers stripes' TypeScript kernel ("TypeScript (stripes)")
 * with Jupyter by writing its kernelspec (Node alone: no Python needed), started through this
 * node and this package by absolute path. tslab's `tslab` and `jslab` kernels are registered
 * beside it unless --no-tslab. Running it again rewrites the same kernelspecs.
 *
 *   --user              the per-user data folder ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter)
 *   --sys-prefix        the Python environment's prefix (virtualenv, conda env)
 *   --prefix <folder>   <folder>/share/jupyter/kernels
 *   --python <python>   the Python whose Jupyter should find the kernels (default: `jupyter` on PATH)
 *   --no-tslab          only the stripes kernel
 */
import type { Command } from "commander";

export function register(program: Command): void {
  const kernel = program.command("kernel").description("manage stripes' Jupyter kernel");
  kernel
    .command("install")
    .description('register the stripes kernel ("TypeScript (stripes)"), and tslab\'s tslab and jslab, with Jupyter')
    .option("--user", "install in the per-user data folder ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter)")
    .option("--sys-prefix", "install in the Python environment's prefix (virtualenv or conda env)")
    .option("--prefix <folder>", "install in <folder>/share/jupyter/kernels")
    .option("--python <python>", "the Python whose Jupyter should find the kernels (default: `jupyter` on PATH)")
    .option("--no-tslab", "register only the stripes kernel, not tslab's tslab and jslab")
    .action(async (opts: { user?: boolean; sysPrefix?: boolean; prefix?: string; python?: string; tslab: boolean }) => {
      const { installKernels } = await import("../jupyter/install"); // with its ZeroMQ client: loaded only to install
      installKernels({ ...opts, onLine: (line) => process.stderr.write(line + "\n") });
    });
}
