import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { useDefaultBackend } from "../helpers/backend";
import { generatorConfig, generatorShapes } from "../../src/models/generatorConfig";
import { ResNetGenerator } from "../../src/models";
import { load } from "../../src/torch";
import { fixturePath, readManifest } from "../helpers/fixtures";
import { test as countCheck } from "uvu";

const Config = suite("generatorConfig");
Config.before(async () => {
  await useDefaultBackend();
});

// The sizes PyTorch built each fixture checkpoint with (scripts/fixtures/convert.py CHECKPOINTS).
for (const [name, c] of Object.entries(readManifest("convert").checkpoints as Record<string, any>)) {
  Config(`${name} (${c.format}): sizes read off the state dict are the ones PyTorch built it with`, () => {
    const sd = load(fixturePath("convert", name)) as Map<string, tf.Tensor>;
    assert.equal(generatorConfig(sd, name), { input_nc: c.input_nc, output_nc: c.output_nc, ngf: c.ngf, n_blocks: c.n_blocks });
    for (const t of sd.values()) t.dispose();
  });
}

Config("generatorShapes lists exactly the keys and shapes of a ResNetGenerator's state dict", () => {
  for (const [i, o, ngf, n] of [[3, 3, 64, 9], [1, 2, 4, 0], [3, 1, 8, 3]]) {
    const net = new ResNetGenerator(i, o, ngf, n);
    const sd = net.stateDict();
    const expected = generatorShapes({ input_nc: i, output_nc: o, ngf, n_blocks: n });
    assert.equal([...expected.keys()], [...sd.keys()]);
    for (const [k, t] of sd) assert.equal(expected.get(k), t.shape, k);
    for (const t of sd.values()) t.dispose();
    net.dispose();
  }
});

Config("a state dict with a wrong shape, an extra key or a missing key says so in one line", () => {
  const sd = load(fixturePath("convert", "gen-gray-zip.pth")) as Map<string, tf.Tensor>;
  const bad = new Map(sd);
  bad.set("model.4.bias", tf.zeros([3]));
  bad.set("extra.weight", tf.zeros([1]));
  bad.delete("model.7.weight");
  assert.throws(
    () => generatorConfig(bad, "g.pth"),
    (err: Error) =>
      !err.message.includes("\n") &&
      /^g\.pth: not a ResNet CycleGAN generator checkpoint: missing model\.7\.weight; unexpected extra\.weight; model\.4\.bias is \[3\], expected \[4\]$/.test(err.message),
  );
  assert.throws(() => generatorConfig([1, 2], "list.pth"), /^list\.pth: not a ResNet CycleGAN generator checkpoint: it holds a list, not a state dict$/);
  for (const t of sd.values()) t.dispose();
});

Config.run();

// The data-driven cases above are read off the fixture manifest; a renamed or lost
// fixture must fail here, not drop its cases silently.
countCheck("the manifest holds all 3 generator checkpoints", () => {
  assert.is(Object.keys(readManifest("convert").checkpoints).length, 3);
});
countCheck.run();
