/**
 * @file A file's bytes, in a browser (replaces files.ts in the browser bundle): the string is a
 * URL, relative to the page, fetched whole. A failed fetch is an error naming the HTTP status, for
 * the caller to put in its one line.
 */
export async function readBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}
