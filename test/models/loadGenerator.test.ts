import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { useDefaultBackend } from "../helpers/backend";
import { loadGenerator, generatorFromStateDict } from "../../src/models/loadGenerator";
import { NotAGeneratorError } from "../../src/models/generatorConfig";
import { CheckpointError, load, serialize } from "../../src/torch";
import { fixturePath, readManifest } from "../helpers/fixtures";

const Load = suite("loadGenerator");
Load.before(async () => {
  await useDefaultBackend();
});

/** A module's state dict against torch.load's tensors for the same file: same keys, same values. */
function assertHolds(module: { stateDict(): Map<string, tf.Tensor> }, file: string) {
  const expected = load(file) as Map<string, tf.Tensor>;
  const got = module.stateDict();
  assert.equal([...got.keys()], [...expected.keys()]);
  for (const [k, t] of expected) assert.equal(got.get(k)!.dataSync(), t.dataSync(), k);
  for (const t of [...expected.values(), ...got.values()]) t.dispose();
}

// The sizes PyTorch built each fixture checkpoint with (scripts/fixtures/convert.py CHECKPOINTS).
const checkpoints = Object.entries(readManifest("convert").checkpoints as Record<string, any>);
for (const [name, c] of checkpoints) {
  Load(`${name} (${c.format}), from its path and from its bytes: PyTorch's sizes, its weights, eval mode`, async () => {
    const file = fixturePath("convert", name);
    const config = { input_nc: c.input_nc, output_nc: c.output_nc, ngf: c.ngf, n_blocks: c.n_blocks };
    for (const source of [file, readFileSync(file)]) {
      const { config: read, module } = await loadGenerator(source);
      assert.equal(read, config);
      assert.equal([module.input_nc, module.output_nc, module.ngf, module.n_blocks], [c.input_nc, c.output_nc, c.ngf, c.n_blocks]);
      assert.is(module.training, false);
      assertHolds(module, file);
      module.dispose();
    }
  });
}

Load("the file is read once", async () => {
  // The module object itself (an ES namespace import's bindings cannot be replaced), which the
  // compiled sources call through.
  const fs = require("node:fs") as { readFileSync: typeof readFileSync };
  const file = fixturePath("convert", "gen-gray-zip.pth");
  const read = fs.readFileSync;
  let reads = 0;
  fs.readFileSync = ((...args: Parameters<typeof readFileSync>) => {
    if (args[0] === file) reads++;
    return read(...args);
  }) as typeof readFileSync;
  try {
    (await loadGenerator(file)).module.dispose();
  } finally {
    fs.readFileSync = read;
  }
  assert.is(reads, 1);
});

Load("a checkpoint's keys and shapes are judged once (generatorConfig), not again by loadStateDict", async () => {
  // Counted through the objects the compiled sources call through: generatorConfig.ts's exports
  // and Module's prototype. The build's own output (dist/, what the package ships): tsc's CommonJS
  // calls another file's function through that file's exports object, where the count can hook;
  // the transpiler the tests run src/ through makes exports read-only live bindings.
  const dist = (file: string) => require(join(__dirname, "..", "..", "dist", file));
  const configModule = dist("models/generatorConfig") as { generatorConfig: (...args: unknown[]) => unknown };
  const { Module } = dist("nn/module") as { Module: { prototype: { loadStateDict: (...args: unknown[]) => unknown } } };
  const built = dist("models/loadGenerator") as { loadGenerator: typeof loadGenerator; generatorFromStateDict: typeof generatorFromStateDict };
  const builtTorch = dist("torch") as typeof import("../../src/torch");
  const judge = configModule.generatorConfig;
  const load = Module.prototype.loadStateDict;
  let judged = 0;
  let loaded = 0;
  configModule.generatorConfig = (...args: unknown[]) => (judged++, judge(...args));
  Module.prototype.loadStateDict = function (this: unknown, ...args: unknown[]) {
    loaded++;
    return load.apply(this, args);
  };
  try {
    (await built.loadGenerator(fixturePath("convert", "gen-gray-zip.pth"))).module.dispose();
    const sd = builtTorch.load(fixturePath("convert", "gen-rgb-legacy.pth")) as Map<string, tf.Tensor>;
    built.generatorFromStateDict(sd, "g.pth").dispose();
    for (const t of sd.values()) t.dispose();
  } finally {
    configModule.generatorConfig = judge;
    Module.prototype.loadStateDict = load;
  }
  assert.equal({ judged, loaded }, { judged: 2, loaded: 0 });
});

Load("loading leaks no tensors, whether it works or the file is not a generator's", async () => {
  const before = tf.memory().numTensors;
  const { module } = await loadGenerator(fixturePath("convert", "gen-rgb-zip.pth"));
  module.dispose();
  await loadGenerator(fixturePath("convert", "bad", "discriminator.pth")).catch(() => undefined);
  assert.is(tf.memory().numTensors, before);
});

let tmp = "";
Load.before.each(() => {
  tmp = mkdtempSync(join(tmpdir(), "stripes-load-generator-"));
});
Load.after.each(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The one-line message `loadGenerator(source, options)` rejects with, and its class. */
async function failure(source: string | Uint8Array, options = {}): Promise<{ message: string; error: unknown }> {
  try {
    (await loadGenerator(source, options)).module.dispose();
  } catch (error) {
    return { message: (error as Error).message, error };
  }
  throw new Error("loaded");
}

Load("one-line errors that name the file (or the name given for bytes)", async () => {
  const missing = join(tmp, "x.pth");
  let f = await failure(missing);
  assert.is(f.message, `${missing}: cannot read: no such file`);
  assert.instance(f.error, CheckpointError);
  f = await failure(tmp);
  assert.is(f.message, `${tmp}: is a folder, not a checkpoint`);
  const discriminator = fixturePath("convert", "bad", "discriminator.pth");
  f = await failure(discriminator);
  assert.match(f.message, /^.*discriminator\.pth: not a ResNet CycleGAN generator checkpoint: missing model\.1\.weight \(the first 7×7 convolution\); it has model\.0\.weight/);
  assert.instance(f.error, NotAGeneratorError);
  // Judged on keys and shapes before values: not reported as its int64 beyond int32.
  f = await failure(fixturePath("torch", "int64_big.zip.pth"));
  assert.match(f.message, /int64_big\.zip\.pth: not a ResNet CycleGAN generator checkpoint: missing model\.1\.weight/);
  const list = serialize([1, 2]);
  assert.is((await failure(list)).message, "<buffer>: not a ResNet CycleGAN generator checkpoint: it holds a list, not a state dict");
  assert.is((await failure(list, { name: "list.pth" })).message, "list.pth: not a ResNet CycleGAN generator checkpoint: it holds a list, not a state dict");
  for (const { message } of [f, await failure(list)]) assert.not.ok(message.includes("\n"));
});

Load("generatorFromStateDict: torch.load's Map into the same generator, the caller's tensors left alive", async () => {
  const file = fixturePath("convert", "gen-rgb-legacy.pth");
  const sd = load(file) as Map<string, tf.Tensor>;
  const netG = generatorFromStateDict(sd, "g.pth");
  assert.is(netG.training, false);
  assertHolds(netG, file);
  assert.not.ok([...sd.values()].some((t) => t.isDisposed));
  for (const t of sd.values()) t.dispose();
  netG.dispose();
  assert.throws(() => generatorFromStateDict(new Map(), "g.pth"), /^g\.pth: not a ResNet CycleGAN generator checkpoint: missing model\.1\.weight \(the first 7×7 convolution\); it is empty$/);
});

Load.run();
