/**
 * Inference on all cores by default (src/backend/inference.ts): with STRIPES_THREADS unset, ready()
 * starts a threaded wasm beside the 1-thread one, and a large forward pass runs there. Outputs
 * must still equal PyTorch's, gradients must stay on the training backend, and STRIPES_THREADS
 * must still decide everything when set. The fixtures are small generators, so the tests force
 * the switch with a size past the threshold.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs-core";
import { ResNetGenerator, torch } from "../../src";
import { useBackend, onInferenceBackend, inferenceThreads, threads, backendSummary } from "../../src/backend";
import { inferenceThreads as defaultInferenceThreads } from "../../src/backend/environment";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { tensorFrom } from "../helpers/nnCases";

const M = readManifest("models");
const TOL = 1e-4; // as test/models/resnetGenerator.test.ts: a whole forward pass
const multiCore = (typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length) > 1;
const threadsUnset = (process.env.STRIPES_THREADS ?? "") === "";

test("the inference threads: the cores (at most 8) when STRIPES_THREADS is unset, else none apart", () => {
  assert.is(defaultInferenceThreads({ STRIPES_THREADS: "2" }), 1);
  assert.is(defaultInferenceThreads({ STRIPES_THREADS: "1" }), 1);
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  assert.is(defaultInferenceThreads({}), Math.min(cores, 8));
});

test("with STRIPES_THREADS unset, wasm trains on 1 thread and infers on all cores", async () => {
  await useBackend("wasm");
  if (!threadsUnset || !multiCore) return;
  assert.is(threads(), 1);
  assert.is(inferenceThreads(), defaultInferenceThreads());
  assert.is(backendSummary(), `wasm, 1 thread (${inferenceThreads()} for inference)`);
});

test("a script that awaits ready() with STRIPES_THREADS unset gets both backends, and Node exits by itself", () => {
  const { STRIPES_THREADS: _t, STRIPES_BACKEND: _b, ...env } = process.env;
  const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", `const b = require("./src/backend"); b.ready().then(() => console.log(b.backendSummary()))`], {
    cwd: path.join(__dirname, "..", ".."),
    env,
    encoding: "utf8",
    timeout: 600_000,
  });
  assert.is(child.status, 0, child.stderr);
  const n = defaultInferenceThreads({});
  assert.is(child.stdout.trim(), n > 1 ? `wasm, 1 thread (${n} for inference)` : "wasm, 1 thread");
});

test("a forward on the inference backend equals PyTorch's, and leaves the current backend and no tensors behind", async () => {
  await useBackend("wasm");
  const sd = torch.load(fixturePath("models", "gen_ngf8_b2.pth")) as Map<string, tf.Tensor>;
  const netG = new ResNetGenerator(3, 3, 8, 2);
  netG.loadStateDict(sd);
  tf.dispose([...sd.values()]);
  netG.eval();
  for (const i of M.gen_ngf8_b2.inputs as number[]) {
    const x = tensorFrom("models", `gen_ngf8_b2.x${i}`);
    const expected = readArray("models", `gen_ngf8_b2.y${i}`);
    const before = tf.memory().numTensors;
    let ranOn = "";
    const y = onInferenceBackend(Infinity, () => ((ranOn = tf.getBackend()), netG.forward(x)));
    if (threadsUnset && multiCore) assert.is(ranOn, "wasm-threads");
    assert.is(tf.getBackend(), "wasm", "back on the training backend");
    const diff = maxAbsDiff(y.dataSync(), expected.data);
    assert.ok(diff <= TOL, `x${i}: max abs diff ${diff} > ${TOL}`);
    // and the output, read by an op on the 1-thread backend, is moved there intact
    const moved = tf.add(y, 0);
    assert.ok(maxAbsDiff(moved.dataSync(), expected.data) <= TOL);
    tf.dispose([x, y, moved]);
    assert.is(tf.memory().numTensors, before - 1, "no tensors left behind");
  }
  netG.dispose();
});

test("while gradients are recorded a forward stays on the training backend", async () => {
  await useBackend("wasm");
  const netG = new ResNetGenerator(3, 3, 4, 1);
  const x = tf.randomUniform([1, 3, 16, 16], -1, 1);
  let ranOn = "";
  const { value, grads } = tf.variableGrads(() => onInferenceBackend(Infinity, () => ((ranOn = tf.getBackend()), tf.mean(netG.forward(x)) as tf.Scalar)));
  assert.is(ranOn, "wasm");
  assert.ok(Object.keys(grads).length > 0);
  tf.dispose([value, x, ...Object.values(grads)]);
  netG.dispose();
});

test.run();
