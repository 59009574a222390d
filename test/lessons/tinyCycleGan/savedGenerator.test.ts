/**
 * Lesson 03 saves its trained generator with stripes' torch.save; PyTorch loads that file into
 * the book's ResNetGenerator with the lesson's options (strict load_state_dict) and computes pictures that stripes must
 * match (scripts/fixtures/lessons.py wrote them from test/fixtures/lessons/tiny_plain2striped.pth).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useDefaultBackend } from "../../helpers/backend";
import * as torch from "../../../src/torch";
import { ResNetGenerator } from "../../../src/models";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../../helpers/fixtures";

test("PyTorch's output from lesson 03's saved generator equals stripes' (within 1e-5)", async () => {
  await useDefaultBackend();
  const manifest = readManifest("lessons");
  const state = torch.load(fixturePath("lessons", manifest.torch_output.checkpoint)) as Map<string, tf.Tensor>;
  assert.equal([...state.keys()], manifest.torch_output.keys); // the keys PyTorch read, in its order
  const netG = new ResNetGenerator(3, 3, 8, 3, { inputSkip: true, norm: "batch" }); // the lesson's generator
  netG.loadStateDict(state);
  netG.eval();
  const { data, shape } = readArray("lessons", "input");
  const y = netG.forward(tf.tensor(data as Float32Array, shape));
  const expected = readArray("lessons", "torch_output");
  assert.equal(y.shape, expected.shape);
  const diff = maxAbsDiff(await y.data(), expected.data);
  assert.ok(diff < 1e-5, `max abs diff ${diff}`);
});

test.run();
