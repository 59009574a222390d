/**
 * @file Lesson 03's fallback pair in the browser bundle (replaces fallback.ts): `room build` copies
 * the package's data/ into the site's files/data/, so the checkpoints and provenance.json are URLs
 * beside the bundle's folder (stripes/stripes.js → ../files/data/lesson03/). The callers are
 * synchronous (torch.load is, as PyTorch's is), so the files are asked for with synchronous
 * requests, which browsers allow in a worker, where the room's kernel runs.
 */
import { StripesError } from "../../errors";
import { readBytesSync } from "../../platform/files";
import type { FallbackProvenance } from "./fallback";

export type { FallbackProvenance, FallbackSnapshot } from "./fallback";

/** The bundle's own address, which scripts/build-browser.js puts in its banner. */
declare const __stripesBundleUrl: string | undefined;

/** The site's copy of data/lesson03/, relative to the bundle (room build's layout). */
const DATA_IN_SITE = "../files/data/lesson03/";

function url(name: string): string {
  if (typeof __stripesBundleUrl !== "string") throw new StripesError(`${name}: lesson 03's fallback files are served by a room site only (stripes-gan room build)`);
  return new URL(DATA_IN_SITE + name, __stripesBundleUrl).href;
}

/** Whether the server has the file (a HEAD request; no body fetched). */
function served(address: string): boolean {
  const g = globalThis as any; // tsconfig has no DOM lib
  if (typeof g.XMLHttpRequest !== "function") return false;
  try {
    const request = new g.XMLHttpRequest();
    request.open("HEAD", address, false);
    request.send();
    return request.status >= 200 && request.status < 300;
  } catch {
    return false;
  }
}

const known = new Map<string, boolean>();
const isServed = (address: string) => {
  if (!known.has(address)) known.set(address, served(address));
  return known.get(address)!;
};

/** The URL of a fallback checkpoint (torch.load reads URLs in the browser); a one-line error when the site lacks it. */
export function fallbackCheckpoint(name: "G_AB" | "G_BA"): string {
  const address = url(`${name}.pth`);
  if (!isServed(address)) throw new StripesError(`${address}: lesson 03's fallback checkpoint is not on this room site (room build copies data/lesson03/)`);
  return address;
}

/** Whether the site serves both fallback checkpoints. */
export function hasFallback(): boolean {
  if (typeof __stripesBundleUrl !== "string") return false;
  return ["G_AB", "G_BA"].every((name) => isServed(url(`${name}.pth`)));
}

/** The site's data/lesson03/provenance.json, or undefined when it has none. */
export function fallbackProvenance(): FallbackProvenance | undefined {
  if (typeof __stripesBundleUrl !== "string") return undefined;
  const address = url("provenance.json");
  if (!isServed(address)) return undefined;
  let text: string;
  try {
    text = new TextDecoder().decode(readBytesSync(address));
  } catch (err) {
    throw new StripesError(`${address}: cannot read (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text) as FallbackProvenance;
  } catch (err) {
    throw new StripesError(`${address}: not valid JSON (${(err as Error).message})`);
  }
}
