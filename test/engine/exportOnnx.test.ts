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
import { generatorFromStateDict } from "../../src/models/generatorConfig";
import { load } from "../../src/torch";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { allLayers } from "../helpers/engineModels";

// Issue 8: ONNX and the tfjs path give PyTorch's numbers within this.
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
    const netG = generatorFromStateDict(load(fixturePath("convert", weights)), weights);
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
    const netG = generatorFromStateDict(load(fixturePath("convert", "gen-gray-zip.pth")));
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
  const netG = generatorFromStateDict(load(fixturePath("convert", "gen-rgb-zip.pth")));
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

Export("a module with no ONNX export is named in one line", () => {
  class Mystery extends nn.Module {}
  const model = new nn.Sequential(new nn.ReLU(), new Mystery());
  assert.throws(() => exportOnnx(model, 3), /exportOnnx: Mystery \(1\) has no ONNX export/);
});

Export("exporting leaks no tensors", () => {
  const netG = generatorFromStateDict(load(fixturePath("convert", "gen-gray-zip.pth")));
  const before = tf.memory().numTensors;
  exportOnnx(netG, 1);
  assert.is(tf.memory().numTensors, before);
  netG.dispose();
});

Export.run();
