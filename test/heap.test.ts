/**
 * An allocation past the wasm heap is an OutOfMemoryError with one line (src/heap.ts), and the
 * tensors made before it are untouched. The sizes are asked for but never allocated: 4 GiB and
 * more is past wasm32's address space, whatever this machine's memory.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../src/backend";
import { formatBytes, heapInfo, OutOfMemoryError, outOfMemoryMessage, WASM_HEAP_LIMIT } from "../src/heap";

const H = suite("wasm heap");

H("formatBytes: decimal units, three significant digits", () => {
  assert.equal([0, 200, 16_384, 26_214_400, 8_589_934_592, WASM_HEAP_LIMIT].map(formatBytes), ["0 B", "200 B", "16.4 kB", "26.2 MB", "8.59 GB", "4.29 GB"]);
});

H("wasm: tf.zeros past 4 GiB is one line naming the size and the limit; earlier tensors and the heap stay", async () => {
  await useBackend("wasm");
  const kept = tf.tensor([1, 2, 3]);
  const before = tf.memory().numTensors;
  const heap = heapInfo(tf.backend())!;
  assert.is(heap.limit, WASM_HEAP_LIMIT);
  for (const [shape, bytes] of [[[1 << 30, 2], 2 ** 33], [[1 << 30], 2 ** 32]] as const) {
    let caught: unknown;
    try {
      tf.zeros(shape as unknown as number[]);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof OutOfMemoryError, String(caught));
    const message = (caught as Error).message;
    assert.is(message, outOfMemoryMessage(bytes, { bytes: heapInfo(tf.backend())!.bytes, limit: WASM_HEAP_LIMIT }));
    assert.ok(message.startsWith(`out of memory: a tensor needs ${formatBytes(bytes)}, and the wasm heap (`) && !message.includes("\n"), message);
  }
  assert.is(tf.memory().numTensors, before, "nothing was registered");
  assert.equal(Array.from(kept.add(1).dataSync()), [2, 3, 4]);
  tf.dispose(kept);
});

H("cpu: no wasm heap to report", async () => {
  await useBackend("cpu");
  assert.is(heapInfo(tf.backend()), undefined);
});

H.run();
