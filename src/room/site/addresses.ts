/**
 * @file Where learners can reach a served room: the localhost URL, and one URL per LAN address
 * of this machine when the server listens on every interface. Also the paragraph that tells the
 * teacher what a LAN address over plain http costs, since browsers grant the features the
 * kernel wants fastest only to secure contexts (https, or localhost).
 */
import * as os from "node:os";

const ANY = new Set(["0.0.0.0", "::", ""]);

function url(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

/** The URLs to print for a server on `host`:`port`: localhost first, then each LAN address. */
export function roomUrls(host: string, port: number, interfaces = os.networkInterfaces()): { local: string; lan: string[] } {
  if (!ANY.has(host)) {
    const loopback = host === "127.0.0.1" || host === "::1" || host === "localhost";
    return { local: url(loopback ? "localhost" : host, port), lan: [] };
  }
  const lan: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      // IPv4 only: a link-local IPv6 address needs a zone id that browsers do not take in a URL.
      if (!a.internal && a.family === "IPv4") lan.push(url(a.address, port));
    }
  }
  return { local: url("localhost", port), lan };
}

/** The caveat printed under the LAN URLs. */
export const LAN_CAVEAT = [
  "On a LAN address over plain http the browser treats the page as insecure: no service worker",
  "(so no offline use), no SharedArrayBuffer (so tfjs's wasm runs on one thread, not several),",
  "and no WebGPU. To have them back, serve the room over https with a certificate the learners'",
  "browsers trust, or have each learner run `stripes-gan room serve` on their own machine and",
  "open the localhost URL.",
].join("\n");
