import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { unsqueeze, squeeze } from "../src";
import { onBackend } from "./helpers/nnCases";

const Tensor = suite("unsqueeze / squeeze");
Tensor.before(onBackend("wasm"));

Tensor("unsqueeze(img, 0) makes the batch of one the generator takes, as torch.unsqueeze", () => {
  const img = tf.zeros([3, 4, 5]);
  assert.equal(unsqueeze(img, 0).shape, [1, 3, 4, 5]);
  assert.equal(unsqueeze(img, -1).shape, [3, 4, 5, 1]); // torch: -1 is the new last axis
  assert.throws(() => unsqueeze(img, 4), /unsqueeze: dim 4 is out of range for a tensor of rank 3 \(expected -4…3\)/);
});

Tensor("squeeze drops size-1 axes; squeeze(x, dim) leaves a larger axis alone, as PyTorch", () => {
  const out = tf.zeros([1, 3, 1, 5]);
  assert.equal(squeeze(out).shape, [3, 5]);
  assert.equal(squeeze(out, 0).shape, [3, 1, 5]);
  assert.equal(squeeze(out, 1).shape, [1, 3, 1, 5]);
  assert.equal(squeeze(out, -2).shape, [1, 3, 5]);
});

Tensor.run();
