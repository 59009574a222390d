/**
 * The book's generator against PyTorch: scripts/fixtures/models.py writes small generators'
 * checkpoints with real PyTorch (legacy and zip formats), inputs and PyTorch's outputs, and the
 * reprs of the default generator (PyTorch 1.13's, rewritten to 0.4's `ReLU(inplace)`).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { inspect } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { ResNetGenerator, torch, nn } from "../../src";
import { StripesError } from "../../src/errors";
import { fixturePath, maxAbsDiff, readArray, readManifest } from "../helpers/fixtures";
import { onBackend, tensorFrom, TEST_BACKENDS } from "../helpers/nnCases";

/** Generator outputs lie in [-1, 1]; the bound for a whole forward pass. */
const TOL = 1e-4;
const M = readManifest("models");

const loadCheckpoint = (name: string) => torch.load(fixturePath("models", `${name}.pth`)) as Map<string, tf.Tensor>;

function checkAgainstPyTorch(netG: nn.Module, name: string): number[] {
  const sd = loadCheckpoint(name);
  assert.equal(netG.loadStateDict(sd), { missingKeys: [], unexpectedKeys: [] });
  tf.dispose([...sd.values()]);
  netG.eval();
  return (M[name].inputs as number[]).map((i) => {
    const x = tensorFrom("models", `${name}.x${i}`);
    const expected = readArray("models", `${name}.y${i}`);
    const before = tf.memory().numTensors;
    const y = netG.forward(x);
    assert.equal(y.shape, expected.shape);
    const diff = maxAbsDiff(y.dataSync(), expected.data);
    tf.dispose([x, y]);
    assert.is(tf.memory().numTensors, before - 1, "a forward pass leaves no tensors behind");
    assert.ok(diff <= TOL, `${name} x${i}: max abs diff ${diff} > ${TOL}`);
    return diff;
  });
}

for (const backend of TEST_BACKENDS) {
  const Forward = suite(`ResNetGenerator forward on ${backend}`);
  Forward.before(onBackend(backend));

  Forward("ngf 8, 2 blocks, legacy .pth: equals PyTorch at 32×40 and at odd 31×37 (→ 32×40)", () => {
    assert.is(M.gen_ngf8_b2.format, "legacy");
    const netG = new ResNetGenerator(3, 3, 8, 2);
    checkAgainstPyTorch(netG, "gen_ngf8_b2");
    netG.dispose();
  });

  Forward("1-channel output, ngf 4, 1 block, zip .pth: equals PyTorch on a batch of 2 at odd 17×23 (→ 20×24)", () => {
    assert.is(M.gen_1ch_ngf4_b1.format, "zip");
    const netG = new ResNetGenerator(3, 1, 4, 1);
    checkAgainstPyTorch(netG, "gen_1ch_ngf4_b1");
    netG.dispose();
  });

  Forward.run();
}

const Structure = suite("ResNetGenerator structure");

Structure.before(onBackend("wasm"));

Structure("String(new ResNetGenerator()) is the article's printout (PyTorch 0.4 repr)", () => {
  const netG = new ResNetGenerator();
  assert.is(String(netG), M.gen_default.repr04);
  assert.is(String(netG.eval()), M.gen_default.repr04, "eval() returns the module, which prints the same");
  netG.dispose();
});

Structure("console.log and tslab (which console.logs a cell's value) print the same repr", () => {
  const netG = new ResNetGenerator();
  assert.is(inspect(netG.eval()), M.gen_default.repr04);
  netG.dispose();
});

Structure("the default generator has PyTorch's 48 keys, shapes and 11,378,179 parameters", () => {
  const netG = new ResNetGenerator();
  const sd = netG.stateDict();
  assert.equal([...sd.keys()], M.gen_default.keys);
  assert.is(sd.size, 48);
  for (const [k, t] of sd) assert.equal(t.shape, M.gen_default.shapes[k], k);
  const count = netG.parameters().reduce((n, p) => n + p.size, 0);
  assert.is(count, M.gen_default.parameters);
  assert.is(count, 11378179);
  tf.dispose([...sd.values()]);
  netG.dispose();
});

Structure("other sizes print and count as PyTorch's (input_nc 1, output_nc 2, ngf 16, 4 blocks)", () => {
  const netG = new ResNetGenerator(1, 2, 16, 4);
  assert.is(String(netG), M.gen_ngf16_b4_in1.repr04);
  assert.equal(netG.namedParameters().map(([k]) => k), M.gen_ngf16_b4_in1.keys);
  assert.is(netG.parameters().reduce((n, p) => n + p.size, 0), M.gen_ngf16_b4_in1.parameters);
  netG.dispose();
});

Structure("a wrong checkpoint gives PyTorch's missing, unexpected and size-mismatch lines, and changes nothing", () => {
  const sd = loadCheckpoint("gen_ngf8_b2");
  sd.delete("model.19.bias");
  sd.set("model.20.weight", tf.zeros([1]));
  const netG = new ResNetGenerator(3, 3, 4, 2);
  const before = netG.stateDict();
  try {
    netG.loadStateDict(sd);
    assert.unreachable("loadStateDict should have thrown");
  } catch (err) {
    assert.instance(err, StripesError);
    assert.is((err as Error).message, M.load_error_ngf8_into_ngf4.message);
    assert.equal((err as nn.StateDictError).missingKeys, ["model.19.bias"]);
    assert.equal((err as nn.StateDictError).unexpectedKeys, ["model.20.weight"]);
  }
  const after = netG.stateDict();
  for (const [k, t] of before) assert.is(maxAbsDiff(t.dataSync(), after.get(k)!.dataSync()), 0, `${k} unchanged`);
  tf.dispose([...sd.values(), ...before.values(), ...after.values()]);
  netG.dispose();
});

Structure("strict: false reports missing and unexpected keys and loads the rest", () => {
  const sd = loadCheckpoint("gen_ngf8_b2");
  const w = sd.get("model.1.weight")!;
  sd.delete("model.19.bias");
  sd.set("extra", tf.zeros([1]));
  const netG = new ResNetGenerator(3, 3, 8, 2);
  assert.equal(netG.loadStateDict(sd, { strict: false }), { missingKeys: ["model.19.bias"], unexpectedKeys: ["extra"] });
  const back = netG.stateDict().get("model.1.weight")!;
  assert.is(maxAbsDiff(back.dataSync(), w.dataSync()), 0);
  tf.dispose([...sd.values(), back]);
  netG.dispose();
});

Structure("bad arguments are one clear line", () => {
  assert.throws(() => new ResNetGenerator(3, 3, 0), /ResNetGenerator: ngf must be an integer ≥ 1, but got 0/);
  const netG = new ResNetGenerator(3, 3, 4, 1);
  assert.throws(() => netG.loadStateDict(42), /loadStateDict expects a state dict .* but got number/);
  assert.throws(() => netG.forward(tf.zeros([3, 8, 8])), /expects a 4-D NCHW batch, but got shape \[3, 8, 8\]/);
  assert.throws(() => netG.forward(tf.zeros([1, 2, 8, 8])), /^Conv2d\(3, 4\): expected input \[1, 2, 14, 14\] to have 3 channels, but got 2 channels instead$/); // after ReflectionPad2d(3), still NCHW
  netG.dispose();
});

Structure.run();
