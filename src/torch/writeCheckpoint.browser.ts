/**
 * @file Where torch.save's bytes go in the browser bundle (replaces writeCheckpoint.ts). The room's
 * kernel runs in a Web Worker, which has no folder of the learner's to write in, and the room's file
 * browser keeps its files in the page's own storage, out of the worker's reach. So the checkpoint,
 * the same bytes the Node kernel writes, is shown as a download link in the cell's output: one click
 * puts it in the learner's downloads folder, where PyTorch can load it. The link carries the bytes
 * (a data: URL), so it still works after the worker is gone and in the saved notebook.
 */
import { display } from "../notebook/display";

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function writeCheckpoint(path: string, bytes: Uint8Array): void {
  const name = path.split("/").pop() || path;
  const size = `${(bytes.length / 1000).toFixed(0)} kB`;
  const why = "a browser tab has no folder the kernel can write to";
  display.bundle({
    "text/html": `<a download="${escapeHtml(name)}" href="data:application/octet-stream;base64,${base64(bytes)}">${escapeHtml(name)}</a> (${size}): download it from this link (${why})`,
    "text/plain": `${name} (${size}): offered as a download link (${why})`,
  });
}
