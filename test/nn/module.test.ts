/**
 * The Module base: registration by assignment, train/eval, state dicts, reprs of options the
 * layer cases do not show (scripts/fixtures/nn.py writes PyTorch's), and argument errors.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { nn } from "../../src";
import { pyFloat } from "../../src/nn/module";
import { readManifest } from "../helpers/fixtures";
import { onBackend } from "../helpers/nnCases";

const Module = suite("Module");
Module.before(onBackend("wasm"));

/** A user-written module with only an NCHW `forward`, as a lesson might write one. */
class Doubler extends nn.Module {
  override forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, 2);
  }
}

Module("children and parameters register in assignment order, with dotted keys", () => {
  class Net extends nn.Module {
    body = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.ReLU());
    head = new nn.Conv2d(2, 1, 1, { bias: false });
  }
  const net = new Net();
  assert.equal(net.namedChildren().map(([k]) => k), ["body", "head"]);
  assert.equal(net.namedParameters().map(([k]) => k), ["body.0.weight", "body.0.bias", "head.weight"]);
  net.dispose();
});

Module("a module's parameters and buffers own their memory: made, loaded and disposed, nothing is left", () => {
  const before = tf.memory();
  const net = new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.ConvTranspose2d(3, 2, 3), new nn.BatchNorm2d(2), new nn.InstanceNorm2d(2, { affine: true }));
  tf.tidy(() => {
    const sd = net.stateDict();
    assert.ok(tf.abs(sd.get("0.weight")!).max().dataSync()[0] > 0, "the drawn values are still there");
    net.loadStateDict(new Map([...sd].map(([k, t]) => [k, tf.zerosLike(t)])));
  });
  net.dispose();
  assert.is(tf.memory().numTensors, before.numTensors);
  assert.is(tf.memory().numBytes, before.numBytes);
});

Module("train() and eval() reach every descendant and return the module", () => {
  const seq = new nn.Sequential(new nn.Dropout(), new nn.Sequential(new nn.BatchNorm2d(2)));
  assert.is(seq.eval(), seq);
  assert.ok([seq, ...seq.children(), seq.at(1).at(0)].every((m) => !m.training));
  assert.is(seq.train(), seq);
  assert.ok(seq.at(-1).at(0).training);
  seq.dispose();
});

Module("a module with only forward(x) works inside a Sequential, and forward leaks nothing", () => {
  const seq = new nn.Sequential(new nn.Conv2d(2, 2, 1), new Doubler(), new nn.Tanh());
  const x = tf.randomNormal([1, 2, 3, 4]);
  const manual = tf.tidy(() => tf.tanh(tf.mul(seq.at(0).forward(x), 2)));
  const before = tf.memory().numTensors;
  const y = seq.forward(x);
  assert.is(tf.memory().numTensors, before + 1);
  assert.ok(tf.max(tf.abs(tf.sub(y, manual))).dataSync()[0] < 1e-6);
  assert.is(seq.call(x).shape.join(), y.shape.join());
  tf.dispose([x, y, manual]);
  seq.dispose();
});

Module("stateDict → loadStateDict round-trips a conv's weight through PyTorch's OIHW/IOHW layouts", () => {
  const a = new nn.Sequential(new nn.Conv2d(2, 3, [3, 5]), new nn.ConvTranspose2d(3, 4, 3, { stride: 2 }));
  const b = new nn.Sequential(new nn.Conv2d(2, 3, [3, 5]), new nn.ConvTranspose2d(3, 4, 3, { stride: 2 }));
  const sd = a.stateDict();
  assert.equal(sd.get("0.weight")!.shape, [3, 2, 3, 5]); // OIHW
  assert.equal(sd.get("1.weight")!.shape, [3, 4, 3, 3]); // [in, out, kh, kw]
  b.loadStateDict(sd);
  const x = tf.randomNormal([1, 2, 6, 7]);
  const [ya, yb] = [a.forward(x), b.forward(x)];
  assert.is(tf.max(tf.abs(tf.sub(ya, yb))).dataSync()[0], 0);
  tf.dispose([x, ya, yb, ...sd.values()]);
  a.dispose();
  b.dispose();
});

Module("copyStateDict copies as loadStateDict does (layouts, dtype), without its check", () => {
  const a = new nn.Sequential(new nn.Conv2d(2, 3, [3, 5]), new nn.ConvTranspose2d(3, 4, 3, { stride: 2 }));
  const b = new nn.Sequential(new nn.Conv2d(2, 3, [3, 5]), new nn.ConvTranspose2d(3, 4, 3, { stride: 2 }));
  const sd = a.stateDict();
  const bias = sd.get("0.bias")!;
  sd.set("0.bias", tf.mul(bias, 1000).cast("int32")); // an int32 tensor, cast to float32 on the way in
  sd.set("extra.weight", tf.zeros([1])); // passed over: its caller has judged the keys
  assert.is(b.copyStateDict(sd), b);
  const [wa, wb] = [a.stateDict(), b.stateDict()];
  for (const k of ["0.weight", "1.weight", "1.bias"]) assert.equal(wb.get(k)!.dataSync(), wa.get(k)!.dataSync(), k);
  assert.is(wb.get("0.bias")!.dtype, "float32");
  assert.equal(Array.from(wb.get("0.bias")!.dataSync()), Array.from(sd.get("0.bias")!.dataSync()));
  tf.dispose([bias, ...sd.values(), ...wa.values(), ...wb.values()]);
  a.dispose();
  b.dispose();
});

Module("untrained convs draw from PyTorch's default U(-1/√fan_in, 1/√fan_in)", () => {
  const conv = new nn.Conv2d(16, 8, 3); // fan_in 144: bound 1/12
  const convT = new nn.ConvTranspose2d(8, 4, 3); // fan_in from out_channels: 36, bound 1/6
  for (const [m, bound] of [[conv, 1 / 12], [convT, 1 / 6]] as const) {
    const w = m.weight.dataSync();
    const max = w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    assert.ok(max <= bound && max > 0.9 * bound, `max |w| ${max} vs bound ${bound}`);
  }
  conv.dispose();
  convT.dispose();
});

Module("reprs of other options equal PyTorch's (0.4 form)", () => {
  const expected = readManifest("nn").reprs as { repr04: string }[];
  const layers = [
    new nn.ReLU(),
    new nn.LeakyReLU(),
    new nn.Dropout(0.25, true),
    new nn.InstanceNorm2d(8, { eps: 1e-3, momentum: 0.2, affine: true }),
    new nn.BatchNorm2d(5, { trackRunningStats: false }),
    new nn.Sequential(new nn.Conv2d(1, 2, 1), new nn.Sequential(new nn.Tanh())),
  ];
  assert.equal(layers.map(String), expected.map((e) => e.repr04));
  layers.forEach((l) => l.dispose());
});

Module("pyFloat prints floats as Python's repr does", () => {
  // Python: repr(1e-05), repr(0.1), repr(1.0), repr(0.0001), repr(1.5e-07), repr(1e16)
  assert.equal([1e-5, 0.1, 1, 0.0001, 1.5e-7, 1e16].map(pyFloat), ["1e-05", "0.1", "1.0", "0.0001", "1.5e-07", "1e+16"]);
});

Module("bad layer arguments are one line naming the layer and the value", () => {
  assert.throws(() => new nn.Conv2d(3, 0, 3), /Conv2d: out_channels must be a positive integer, but got 0/);
  assert.throws(() => new nn.Conv2d(3, 4, [3, 0]), /Conv2d: kernel_size must be an integer ≥ 1 or a pair of them, but got \[3,0\]/);
  assert.throws(() => new nn.ConvTranspose2d(3, 4, 3, { stride: 2, outputPadding: 2 }), /output_padding \(2, 2\) must be smaller than stride \(2, 2\)/);
  assert.throws(() => new nn.ReflectionPad2d(-1), /ReflectionPad2d: padding must be/);
  assert.throws(() => new nn.Dropout(1.5), /Dropout: probability has to be between 0 and 1, but got 1.5/);
  const pad = new nn.ReflectionPad2d(3);
  assert.throws(() => pad.forward(tf.zeros([1, 1, 3, 8])), /padding \(3, 3, 3, 3\) must be smaller than the input's height and width/);
});

Module.run();
