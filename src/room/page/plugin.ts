/**
 * @file The JupyterLite front-end plugin that registers the "stripes" kernel spec: kernels made
 * by it are StripesKernel (kernel.ts) over the worker files the room's site serves, by default
 * under `stripes/` next to the app's base URL (worker.js and types.json from dist/room/kernel/,
 * stripes.js the library's browser bundle). The default export is what the site bundles.
 */
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { IKernelClient, IKernelSpecs } from "@jupyterlite/services";
import { runningKernels, StripesKernel, type StripesKernelUrls } from "./kernel";

export const KERNEL_NAME = "stripes";

/** The kernel spec's URLs under the site's base URL. */
export function defaultUrls(base: string = PageConfig.getBaseUrl()): StripesKernelUrls {
  return {
    workerUrl: URLExt.join(base, "stripes", "worker.js"),
    typesUrl: URLExt.join(base, "stripes", "types.json"),
    libraryUrl: URLExt.join(base, "stripes", "stripes.js"),
  };
}

/** A plugin registering the kernel over `urls` (a site with another layout makes its own). */
export function stripesKernelPlugin(urls?: StripesKernelUrls) {
  return {
    id: "stripes-gan:kernel",
    description: "The stripes TypeScript kernel, running in a Web Worker",
    autoStart: true,
    requires: [IKernelSpecs],
    optional: [IKernelClient],
    activate: (_app: unknown, kernelspecs: IKernelSpecs, client: IKernelClient | null): void => {
      // JupyterLite's Stop (the kernel client's interrupt) only cancels queued cells and never
      // tells the kernel; a stripes kernel is told too.
      if (client) {
        const cancelQueued = client.interrupt.bind(client);
        client.interrupt = async (id: string) => {
          runningKernels.get(id)?.interrupt();
          return cancelQueued(id);
        };
      }
      const resolved = urls ?? defaultUrls();
      kernelspecs.register({
        spec: {
          name: KERNEL_NAME,
          display_name: "TypeScript (stripes)",
          language: "typescript",
          argv: [],
          resources: {},
        },
        create: async (options) => new StripesKernel(options, resolved),
      });
    },
  };
}

export default stripesKernelPlugin();
