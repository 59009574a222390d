/**
 * What the kernel frees after a cell (freeUnheld): the tensors a cell's writes replaced, unless a
 * name still holds them, however deep; and nothing at all when it cannot see every name's values.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useDefaultBackend } from "../helpers/backend";
import { freeUnheld } from "../../src/kernelCore/memoryGuard";

/** `value` wrapped in `levels` nested objects, as a module tree nests its parameters. */
const nest = (value: unknown, levels: number): unknown => (levels === 0 ? value : { child: nest(value, levels - 1) });

test("a replaced tensor that no name holds is freed; one that a name holds, 20 levels down, is not", async () => {
  await useDefaultBackend();
  const free = tf.zeros([2]);
  const deep = tf.zeros([3]);
  const names = { net: nest(deep, 20) };
  assert.is(freeUnheld([free, deep], names), 1);
  assert.ok(free.isDisposed);
  assert.not.ok(deep.isDisposed, "held by net, 20 levels down");
  deep.dispose();
});

test("when the names are too many objects to walk, nothing is freed", async () => {
  await useDefaultBackend();
  const replaced = tf.zeros([2]);
  const big = Array.from({ length: 250_000 }, (_, i) => ({ i })); // past the walk's node budget
  assert.is(freeUnheld([replaced], { big }), 0);
  assert.not.ok(replaced.isDisposed);
  replaced.dispose();
});

test.run();
