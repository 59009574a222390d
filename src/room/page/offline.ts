/**
 * @file Registers the room's service worker (service-worker.js at the site's root, written by
 * `room build`, src/room/site/offline.ts), which precaches the site so that the room reloads and
 * runs offline after the first visit. Browsers give service workers only to secure contexts
 * (https, localhost): elsewhere, one console line says the room will not work offline.
 */
import { PageConfig, URLExt } from "@jupyterlab/coreutils";

/** The worker's URL under the site's base URL. */
export function serviceWorkerUrl(base: string = PageConfig.getBaseUrl()): string {
  return URLExt.join(base, "service-worker.js");
}

export const offlinePlugin = {
  id: "stripes-gan:offline",
  description: "Precaches the room for offline use (its service worker)",
  autoStart: true,
  activate: (): void => {
    // The library compiles without the DOM's types; the page's globals are reached through globalThis.
    const page = globalThis as any;
    const navigator = page.navigator;
    if (!page.isSecureContext || !navigator?.serviceWorker) {
      console.info("stripes room: no service worker here (the page is not https or localhost), so the room will not work offline");
      return;
    }
    navigator.serviceWorker.register(serviceWorkerUrl()).catch((err: unknown) => {
      console.warn(`stripes room: service-worker.js did not register (${err}); the room will not work offline`);
    });
  },
};

export default offlinePlugin;
