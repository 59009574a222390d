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

/**
 * The same, synchronously, for torch.load (synchronous, as PyTorch's is): a synchronous request,
 * which browsers allow with binary responses only in a worker, where the kernel runs. On a page's
 * main thread it fails, and the caller's one line says so.
 */
export function readBytesSync(url: string): Uint8Array {
  const g = globalThis as any; // tsconfig has no DOM lib
  const request = new g.XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status < 200 || request.status >= 300) throw new Error(`HTTP ${request.status} ${request.statusText}`.trim());
  return new Uint8Array(request.response as ArrayBuffer);
}
