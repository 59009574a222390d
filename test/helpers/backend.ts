/**
 * @file The backend a test file computes on, set by the file itself: backend.ts keeps its
 * choice in module state, so a file that only awaited ready() computed on whatever the file
 * before it left (cpu after a cpu suite), and passed or failed by file order.
 */
import { BACKENDS, useBackend, type BackendName } from "../../src/backend";

/** The backend ready() would choose in a fresh process (STRIPES_BACKEND, else the first that loads), set now. */
export async function useDefaultBackend(): Promise<BackendName> {
  const wanted = process.env.STRIPES_BACKEND;
  if (wanted) return useBackend(wanted as BackendName);
  for (const name of BACKENDS) {
    try {
      return await useBackend(name);
    } catch {
      // not installed here: try the next
    }
  }
  throw new Error("no TensorFlow.js backend could be initialised");
}
