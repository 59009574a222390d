import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { BackendName, useBackend } from "../../src/backend";
import { useDefaultBackend } from "../helpers/backend";
import { withOrt } from "../helpers/optional";
import * as nn from "../../src/nn";
import { decodeModel, OPSET } from "../../src/engine/onnx";
import { exportOnnx } from "../../src/engine/exportOnnx";
import { OrtSession } from "../../src/engine/ortSession";
import { createEngine } from "../../src/engine/engine";
import { generatorConfig } from "../../src/models/generatorConfig";
import { loadGenerator } from "../../src/models/loadGenerator";
import { ResNetGenerator } from "../../src/models";
import { EngineError } from "../../src/engine/errors";
import { lessonClasses } from "../helpers/lessonCode";
import { Image } from "../../src/vision/image";
import * as transforms from "../../src/vision/transforms";
import { load } from "../../src/torch";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { allLayers } from "../helpers/engineModels";

// ONNX and the tfjs path must both give PyTorch's numbers within this: onnxruntime sums in
// another order than PyTorch, so bit-equality is not the bar, but a wrong layer is far past it.
const TOL = 1e-4;

const Export = suite("exportOnnx");

Export.before(async () => {
  await useDefaultBackend();
});

withOrt(Export, "one of every layer (batch 2, 13×18): onnxruntime equals PyTorch's eval output within 1e-4", async () => {
  const model = allLayers();
  model.loadStateDict(load(fixturePath("engine", "all-layers.pth")) as Map<string, tf.Tensor>);
  const x = readArray("engine", "all-layers.input");
  const expected = readArray("engine", "all-layers.output");
  const session = await OrtSession.create(exportOnnx(model.eval(), 3));
  const y = await session.run(x.data as Float32Array, x.shape);
  assert.equal(y.dims, expected.shape);
  const diff = maxAbsDiff(y.data, expected.data);
  assert.ok(diff < TOL, `max |onnx - torch| = ${diff}`);
  await session.release();
  model.dispose();
});

for (const name of ["gen-rgb-zip--a--24", "gen-rgb-legacy--a--24", "gen-gray-zip--gray--20", "gen-rgb-zip--a--none"]) {
  withOrt(Export, `generator ${name}: onnx and tfjs engines equal PyTorch and each other within 1e-4`, async () => {
    const weights = readManifest("convert").cases.find((c: any) => c.expected === `expected/${name}.png`).weights;
    const { module: netG } = await loadGenerator(fixturePath("convert", weights));
    const x = readArray("convert", `${name}.input`);
    const expected = readArray("convert", `${name}.output`);
    const outputs = [];
    for (const choice of ["onnx", "tfjs"] as const) {
      const engine = await createEngine(netG, { engine: choice, channels: netG.input_nc, threads: 1 });
      assert.is(engine.name, choice);
      const y = await engine.run(x.data as Float32Array, x.shape);
      assert.equal(y.dims, expected.shape);
      const diff = maxAbsDiff(y.data, expected.data);
      assert.ok(diff < TOL, `${choice}: max |${choice} - torch| = ${diff}`);
      outputs.push(y.data);
      await engine.dispose();
    }
    assert.ok(maxAbsDiff(outputs[0], outputs[1]) < TOL);
    netG.dispose();
  });
}

withOrt(Export, "on the cpu backend too, the tfjs engine and the export equal PyTorch within 1e-4", async () => {
  const before = tf.getBackend() as BackendName;
  await useBackend("cpu");
  try {
    const { module: netG } = await loadGenerator(fixturePath("convert", "gen-gray-zip.pth"));
    const x = readArray("convert", "gen-gray-zip--gray--20.input");
    const expected = readArray("convert", "gen-gray-zip--gray--20.output");
    for (const choice of ["tfjs", "onnx"] as const) {
      const engine = await createEngine(netG, { engine: choice, channels: 1, threads: 1 });
      const y = await engine.run(x.data as Float32Array, x.shape);
      assert.ok(maxAbsDiff(y.data, expected.data) < TOL, choice);
      await engine.dispose();
    }
    netG.dispose();
  } finally {
    await useBackend(before);
  }
});

Export("the model is opset 17 with dynamic batch, height and width, and PyTorch's weight names", async () => {
  const { module: netG } = await loadGenerator(fixturePath("convert", "gen-rgb-zip.pth"));
  const model = decodeModel(exportOnnx(netG, 3));
  assert.equal(model.opset_import, [{ domain: "", version: OPSET }]);
  const dims = model.graph.input[0].type.tensor_type.shape.dim;
  assert.equal(dims, [{ dim_param: "batch" }, { dim_value: 3 }, { dim_param: "height" }, { dim_param: "width" }]);
  assert.is(model.graph.output[0].name, "output");
  // Weights keep their state-dict keys; the 48 tensors of a 2-block generator: 3 + 2·2 + 2 + 1 convs.
  const names = model.graph.initializer.map((t: any) => t.name).filter((n: string) => !/^(pads|ones_|zeros_)/.test(n));
  assert.equal(names, [...netG.stateDict().keys()]);
  const ops = model.graph.node.map((n: any) => n.op_type);
  assert.is(ops.filter((o: string) => o === "Conv").length, 3 + 2 * netG.n_blocks + 1);
  assert.is(ops.filter((o: string) => o === "ConvTranspose").length, 2);
  assert.is(ops.filter((o: string) => o === "Add").length, netG.n_blocks);
  netG.dispose();
});

Export("an op with no ONNX export stops the export with one line naming the op and the module", () => {
  class Blur extends nn.Module {
    override forward(x: tf.Tensor): tf.Tensor {
      return tf.sub(x, tf.mean(x, 1, true));
    }
  }
  const reluForward = nn.ReLU.prototype.forward;
  const model = new nn.Sequential(new nn.ReLU(), new Blur());
  try {
    exportOnnx(model, 3);
    assert.unreachable("exportOnnx should throw");
  } catch (err) {
    assert.instance(err, EngineError);
    const message = (err as Error).message;
    assert.match(message, /^exportOnnx: Blur \(1\) runs the tf op 'Mean', which has no ONNX export \(supported: Abs, Add, .*\)$/);
    assert.not.match(message, /\n/);
  }
  // The hooks are gone and the modes are back: the model still computes as before.
  assert.is(nn.ReLU.prototype.forward, reluForward);
  assert.not.ok(Object.prototype.hasOwnProperty.call(nn.Conv2d.prototype, "forward"));
  assert.not.ok(Object.prototype.hasOwnProperty.call(tf.engine(), "runKernel"));
  assert.is(model.training, true);
  const y = model.forward(tf.ones([1, 3, 2, 2]));
  assert.equal(Array.from(y.dataSync()), new Array(12).fill(0));
  y.dispose();
});

/** Seeded uniform values for every parameter and buffer (running variances positive), as a state dict. */
function randomStateDict(model: nn.Module, seed: number): Map<string, tf.Tensor> {
  const sd = model.stateDict();
  let i = 0;
  for (const [key, t] of sd) {
    if (key.endsWith("num_batches_tracked")) continue;
    const [lo, hi] = key.endsWith("running_var") ? [0.5, 1.5] : [-0.5, 0.5];
    sd.set(key, tf.randomUniform(t.shape, lo, hi, "float32", seed + i++));
    t.dispose();
  }
  return sd;
}

const randomBatch = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, "float32", seed);

/** `model` on onnxruntime (exported) and on tfjs, on `x`: the largest difference, after checking the shapes agree. */
async function onnxVsTfjs(model: nn.Module, x: tf.Tensor): Promise<number> {
  const session = await OrtSession.create(exportOnnx(model, x.shape[1]), { intraOpNumThreads: 1 });
  try {
    const y = await session.run(x.dataSync() as Float32Array, x.shape);
    const expected = tf.tidy(() => model.forward(x));
    assert.equal(y.dims, expected.shape);
    const diff = maxAbsDiff(y.data, expected.dataSync());
    expected.dispose();
    return diff;
  } finally {
    await session.release();
  }
}

/** Lesson 01's own generator classes, compiled from the lesson's source: what the learner runs. */
const lesson01 = () => lessonClasses("01-horse-to-zebra", "generator", ["ResNetGenerator", "ResNetBlock"]);

withOrt(Export, "lesson 01's own ResNetGenerator class (its residual add in its own forward), ngf 8, 2 blocks, random weights: onnxruntime equals tfjs within 1e-4", async () => {
  const netG = new (lesson01().ResNetGenerator)(3, 3, 8, 2) as nn.Module;
  netG.loadStateDict(randomStateDict(netG, 1));
  netG.eval();
  const x = randomBatch([2, 3, 37, 45], 2);
  const diff = await onnxVsTfjs(netG, x);
  assert.ok(diff < TOL, `max |onnx - tfjs| = ${diff}`);
  x.dispose();
  netG.dispose();
});

withOrt(Export, "lesson 01's own ResNetGenerator with the PyTorch fixture's weights (notebook/generator.pth): onnxruntime equals tfjs within 1e-4", async () => {
  const sd = load(fixturePath("notebook", "generator.pth")) as Map<string, tf.Tensor>;
  const { input_nc, output_nc, ngf, n_blocks } = generatorConfig(sd);
  const netG = new (lesson01().ResNetGenerator)(input_nc, output_nc, ngf, n_blocks) as nn.Module;
  netG.loadStateDict(sd);
  netG.eval();
  const x = randomBatch([1, input_nc, 64, 75], 3);
  const diff = await onnxVsTfjs(netG, x);
  assert.ok(diff < TOL, `max |onnx - tfjs| = ${diff}`);
  x.dispose();
  netG.dispose();
});

withOrt(Export, "lesson 01's own class on its fixture photo as the lesson feeds it (meadow.png, Resize(256), 256×295): onnxruntime within 1e-4 of tfjs", async () => {
  // A photo-sized image is where onnxruntime's own InstanceNormalization drifted (2.5e-4 here).
  const sd = load(fixturePath("notebook", "generator.pth")) as Map<string, tf.Tensor>;
  const { input_nc, output_nc, ngf, n_blocks } = generatorConfig(sd);
  const netG = new (lesson01().ResNetGenerator)(input_nc, output_nc, ngf, n_blocks) as nn.Module;
  netG.loadStateDict(sd);
  netG.eval();
  const img = await Image.open(fixturePath("notebook", "meadow.png"));
  const x = tf.tidy(() => transforms.Compose([transforms.Resize(256), transforms.ToTensor()])(img).expandDims(0));
  assert.equal(x.shape, readManifest("notebook").batch.shape);
  const diff = await onnxVsTfjs(netG, x);
  assert.ok(diff < TOL, `max |onnx - tfjs| = ${diff}`);
  x.dispose();
  netG.dispose();
});

Export("lesson 01's own class exports to the same model, byte for byte, as stripes' ResNetGenerator with the same weights", () => {
  const sd = load(fixturePath("notebook", "generator.pth")) as Map<string, tf.Tensor>;
  const { input_nc, output_nc, ngf, n_blocks } = generatorConfig(sd);
  const mine = new (lesson01().ResNetGenerator)(input_nc, output_nc, ngf, n_blocks) as nn.Module;
  const theirs = new ResNetGenerator(input_nc, output_nc, ngf, n_blocks);
  mine.loadStateDict(sd);
  theirs.loadStateDict(sd);
  const bytes = exportOnnx(mine, 3);
  assert.ok(Buffer.from(bytes).equals(Buffer.from(exportOnnx(theirs, 3))));
  const model = decodeModel(bytes);
  assert.equal(model.graph.input[0].type.tensor_type.shape.dim, [{ dim_param: "batch" }, { dim_value: 3 }, { dim_param: "height" }, { dim_param: "width" }]);
  const ops = model.graph.node.map((n: any) => n.op_type);
  assert.is(ops.filter((o: string) => o === "Add").length, n_blocks); // the adds the class's own forward does
  assert.not.ok(ops.includes("Transpose")); // NCHW in the learner's code, NHWC in the layers: no node either way
  mine.dispose();
  theirs.dispose();
});

/** A U-Net-like model whose own code joins its layers: concat on channels, arithmetic with constants. */
class TinyUNet extends nn.Module {
  down = new nn.Sequential(new nn.Conv2d(3, 8, 4, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.2));
  inner = new nn.Sequential(
    new nn.Conv2d(8, 16, 4, { stride: 2, padding: 1 }),
    new nn.ReLU(),
    new nn.ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1 }),
    new nn.InstanceNorm2d(8, { affine: true }),
    new ChannelScale([0.5, 1, 1.5, 2, -1, 0.25, 3, 1]),
  );
  up = new nn.Sequential(new nn.ReLU(), new nn.ConvTranspose2d(16, 3, 4, { stride: 2, padding: 1 }), new nn.Dropout(0.5));

  override forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const d = this.down.forward(x);
      const y = this.up.forward(tf.concat([d, this.inner.forward(d)], 1)); // the skip connection
      const gated = tf.mul(tf.sigmoid(y), tf.tanh(tf.maximum(y, -0.5)));
      return tf.add(tf.div(gated, 2), tf.sub(tf.mul(x, tf.tensor([0.5, 1, 2]).reshape([1, 3, 1, 1])), tf.scalar(0.25)));
    });
  }
}

/** Scales each channel, written on the layers' NHWC as the library's own modules are: a constant in the other layout. */
class ChannelScale extends nn.Module {
  constructor(readonly scale: number[]) {
    super();
  }

  override forwardNHWC(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(x, tf.tensor1d(this.scale)));
  }
}

withOrt(Export, "a model's own ops between layers (concat, mul, add, sub, div, maximum, sigmoid, tanh, constants in NCHW and NHWC): onnxruntime equals tfjs within 1e-4", async () => {
  const model = new TinyUNet();
  model.loadStateDict(randomStateDict(model, 4));
  model.eval();
  const x = randomBatch([2, 3, 32, 40], 5);
  const diff = await onnxVsTfjs(model, x);
  assert.ok(diff < TOL, `max |onnx - tfjs| = ${diff}`);
  x.dispose();
  model.dispose();
});

withOrt(Export, "stripes' generator with BatchNorm and the input skip (a concat on the layers' NHWC): onnxruntime equals tfjs within 1e-4", async () => {
  const netG = new ResNetGenerator(3, 3, 8, 1, { norm: "batch", inputSkip: true });
  netG.loadStateDict(randomStateDict(netG, 6));
  netG.eval();
  const x = randomBatch([1, 3, 24, 28], 7);
  const diff = await onnxVsTfjs(netG, x);
  assert.ok(diff < TOL, `max |onnx - tfjs| = ${diff}`);
  x.dispose();
  netG.dispose();
});

withOrt(Export, "a model that halves the image seven times (too deep for the first, 64×64 example) still exports, and runs at 128×128", async () => {
  const model = new nn.Sequential(...Array.from({ length: 7 }, (_, i) => [new nn.Conv2d(i === 0 ? 3 : 4, 4, 4, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.2)]).flat());
  model.loadStateDict(randomStateDict(model, 8));
  const x = randomBatch([1, 3, 128, 128], 9);
  const diff = await onnxVsTfjs(model, x);
  assert.ok(diff < TOL, `max |onnx - tfjs| = ${diff}`);
  x.dispose();
  model.dispose();
});

Export("exporting leaks no tensors", async () => {
  const { module: netG } = await loadGenerator(fixturePath("convert", "gen-gray-zip.pth"));
  const before = tf.memory().numTensors;
  exportOnnx(netG, 1);
  assert.is(tf.memory().numTensors, before);
  netG.dispose();
});

Export.run();
