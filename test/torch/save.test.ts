import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useDefaultBackend } from "../helpers/backend";
import * as torch from "../../src/torch";
import { fixturePath } from "../helpers/fixtures";
import { sample } from "../../scripts/fixtures/torch_save";
import { describe, manifest, plain } from "./expected";

const Save = suite("torch.save");
const written = fixturePath("torch", "written-by-stripes.pth");
let dir = "";

Save.before(async () => {
  await useDefaultBackend();
  dir = mkdtempSync(join(tmpdir(), "stripes-save-"));
});
Save.after(() => rmSync(dir, { recursive: true, force: true }));

Save("writes exactly the bytes PyTorch 1.13 read back in the fixture script", () => {
  const bytes = torch.serialize(sample(), "written-by-stripes");
  assert.ok(Buffer.from(bytes).equals(readFileSync(written)), "same bytes as test/fixtures/torch/written-by-stripes.pth");
});

Save("the state dict alone: same bytes as the file PyTorch's weights-only unpickler read", () => {
  const bytes = torch.serialize(sample().get("state_dict"), "written-by-stripes-sd");
  assert.ok(Buffer.from(bytes).equals(readFileSync(fixturePath("torch", "written-by-stripes-sd.pth"))));
  assert.ok(manifest.stripes_save.state_dict_weights_only_equal);
  assert.equal(
    (manifest.stripes_save.state_dict_weights_only as any).$dict.map((kv: any) => kv[0]),
    [...(sample().get("state_dict") as Map<string, unknown>).keys()],
  );
});

Save("PyTorch found correct CRCs, 64-byte aligned records and the expected record names", () => {
  const s = manifest.stripes_save;
  assert.ok(s.crc_ok);
  assert.ok(s.aligned);
  assert.equal(s.records, ["data.pkl", "byteorder", ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `data/${i}`), "version"].map((r) => `written-by-stripes/${r}`));
});

Save("PyTorch read our values: what we load back is what PyTorch loaded", () => {
  const tensors = new Map<string, torch.RawTensor>();
  assert.equal(describe(torch.loadRaw(written), tensors), manifest.stripes_save.value);
  for (const [key, t] of tensors) {
    const e = manifest.stripes_save.tensors[key];
    assert.is(t.dtype, e.dtype, key);
    assert.equal(t.shape, e.shape, key);
    assert.equal(plain(t.values), e.values, key);
  }
});

Save("PyTorch's dtypes and values are the ones we saved", () => {
  const t = manifest.stripes_save.tensors;
  const obj = sample();
  const sd = obj.get("state_dict") as Map<string, tf.Tensor>;
  assert.equal(t["state_dict.conv.weight"].values, Array.from(sd.get("conv.weight")!.dataSync()));
  assert.is(t["state_dict.conv.weight"].dtype, "float32");
  assert.is(t["state_dict.bn.num_batches_tracked"].dtype, "int32");
  assert.equal(t["state_dict.bn.num_batches_tracked"].shape, []);
  assert.is(t["state_dict.mask"].dtype, "bool");
  assert.equal(t["state_dict.empty"].shape, [0, 4]);
  assert.is(t["raw.0"].dtype, "int64");
  assert.equal(t["raw.0"].values, [1, -(2 ** 40), String(2n ** 62n)]);
  assert.is(t["raw.1"].dtype, "float64");
  assert.equal(t["raw.1"].values, [0.1, -1e300]);
});

Save("save → load round trip through a file, and nothing else is left in the folder", () => {
  const target = join(dir, "tiny.pth");
  const weight = tf.tensor([[1, 2], [3, 4]]);
  torch.save(new Map([["weight", weight]]), target);
  assert.equal(readdirSync(dir), ["tiny.pth"]);
  const back = torch.load(target) as Map<string, tf.Tensor>;
  assert.equal(back.get("weight")!.arraySync(), [[1, 2], [3, 4]]);
  tf.dispose([weight, ...back.values()]);
});

Save("an unsaveable value is one line naming where it is, and writes no file", () => {
  const target = join(dir, "bad.pth");
  assert.throws(
    () => torch.save(new Map<string, unknown>([["cb", () => 1]]), target),
    (err: Error) => err instanceof torch.CheckpointError && err.message === "bad.pth: cannot save a function at 'cb'",
  );
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  assert.throws(() => torch.save(cyclic, target), /bad\.pth: cannot save a container that contains itself at '0'/);
  assert.not.ok(existsSync(target));
  assert.equal(readdirSync(dir).filter((f) => f.startsWith("bad")), []);
});

Save("a state dict round-trips key order and tensor values through save and load", () => {
  const sd = torch.load(fixturePath("torch", "state_dict.zip.pth")) as Map<string, tf.Tensor>;
  const back = torch.load(torch.serialize(sd)) as Map<string, tf.Tensor>;
  assert.equal([...back.keys()], [...sd.keys()]);
  for (const [k, v] of sd) assert.equal(Array.from(back.get(k)!.dataSync()), Array.from(v.dataSync()), k);
  tf.dispose([...sd.values(), ...back.values()]);
});

Save.run();
