import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { readFileSync } from "node:fs";
import { useBackend } from "../../src/backend";
import { useDefaultBackend } from "../helpers/backend";
import * as torch from "../../src/torch";
import { fixturePath } from "../helpers/fixtures";
import { describe, manifest, plain } from "./expected";

const files = Object.keys(manifest.checkpoints);
const path = (name: string) => fixturePath("torch", name);

const Raw = suite("torch.loadRaw: every fixture as PyTorch's torch.load read it");

for (const name of files) {
  Raw(`${name}: structure, dtypes, shapes, strides, offsets and exact values`, () => {
    const expected = manifest.checkpoints[name];
    const tensors = new Map<string, torch.RawTensor>();
    assert.equal(describe(torch.loadRaw(path(name)), tensors), expected.value);
    assert.equal([...tensors.keys()].sort(), Object.keys(expected.tensors).sort());
    for (const [key, t] of tensors) {
      const e = expected.tensors[key];
      assert.is(t.dtype, e.dtype, key);
      assert.equal(t.shape, e.shape, key);
      assert.equal(t.stride, e.stride, key);
      assert.is(t.offset, e.offset, key);
      assert.equal(plain(t.values), e.values, key);
    }
  });
}

Raw("int64 is exact (BigInt64Array), float64 stays double", () => {
  const sd = torch.loadRaw(path("int64_big.zip.pth")) as Map<string, torch.RawTensor>;
  assert.instance(sd.get("big")!.values, BigInt64Array);
  assert.equal([...(sd.get("big")!.values as BigInt64Array)], [1n, 2n ** 40n, -(2n ** 62n)]); // int64_big() in scripts/fixtures/torch.py
  const dt = torch.loadRaw(path("dtypes.legacy.pth")) as Map<string, torch.RawTensor>;
  assert.instance(dt.get("float64")!.values, Float64Array);
});

Raw("views of one storage share its key; a buffer loads like its path", () => {
  const sd = torch.loadRaw(path("views.zip.pth")) as Map<string, torch.RawTensor>;
  const keys = new Set(["base", "transposed", "slice", "column", "every_other", "shared_tail"].map((k) => sd.get(k)!.storage));
  assert.is(keys.size, 1);
  const fromBuffer = torch.loadRaw(readFileSync(path("views.zip.pth"))) as Map<string, torch.RawTensor>;
  assert.equal([...fromBuffer.keys()], [...sd.keys()]);
});

Raw("the newer form: UntypedStorage byte counts with _rebuild_tensor_v3's dtype", () => {
  const sd = torch.loadRaw(path("v3-untyped.zip.pth")) as Map<string, torch.RawTensor>;
  assert.equal([...sd.keys()].sort(), Object.keys(manifest.v3).sort());
  assert.equal([...sd.keys()], ["half", "long", "strided"]); // file order, as write_v3 in scripts/fixtures/torch.py wrote it
  for (const [key, t] of sd) {
    const e = manifest.v3[key];
    assert.is(t.dtype, e.dtype, key);
    assert.equal(t.shape, e.shape, key);
    assert.equal(t.stride, e.stride, key);
    assert.is(t.offset, e.offset, key);
    assert.equal(plain(t.values), e.values, key);
  }
});

Raw("PyTorch's zip records are read in place: float32 values are views of the file, not copies", () => {
  for (const name of ["views.zip.pth", "state_dict.zip.pth"]) {
    const bytes = new Uint8Array(readFileSync(path(name))); // offset 0, as a large file's buffer is
    const sd = torch.loadRaw(bytes) as Map<string, torch.RawTensor>;
    const first = [...sd.values()][0];
    assert.is(first.dtype, "float32");
    assert.ok(first.values.buffer === bytes.buffer, name);
  }
  // Legacy storages follow an 8-byte count at any offset: those are copied when unaligned.
  const legacy = torch.loadRaw(path("views.legacy.pth")) as Map<string, torch.RawTensor>;
  assert.equal(plain(legacy.get("base")!.values), manifest.checkpoints["views.legacy.pth"].tensors.base.values);
});

Raw.run();

const Load = suite("torch.load: tfjs tensors");

Load.before(async () => {
  await useDefaultBackend();
});

for (const name of files.filter((f) => !f.startsWith("int64_big"))) {
  Load(`${name}: every tensor has the learner's dtype and PyTorch's values`, () => {
    const expected = manifest.checkpoints[name];
    const before = tf.memory().numTensors;
    const loaded = torch.load(path(name));
    const seen = new Map<string, tf.Tensor>();
    collect(loaded, "", seen);
    assert.equal([...seen.keys()].sort(), Object.keys(expected.tensors).sort());
    for (const [key, t] of seen) {
      const e = expected.tensors[key];
      const want = { float32: "float32", float64: "float32", float16: "float32", bfloat16: "float32", int64: "int32", int32: "int32", int16: "int32", int8: "int32", uint8: "int32", bool: "bool" }[e.dtype];
      assert.is(t.dtype, want, key);
      assert.equal(t.shape, e.shape, key);
      const values = Array.from(t.dataSync() as ArrayLike<number>);
      const exact = want === "float32" ? (v: number | string) => Math.fround(Number(v)) : Number;
      assert.equal(values, e.values.map(exact), key);
    }
    const unique = new Set(seen.values()).size;
    assert.is(tf.memory().numTensors - before, unique, "one tfjs tensor per stored tensor");
    for (const t of new Set(seen.values())) t.dispose();
  });
}

function collect(x: unknown, path: string, out: Map<string, tf.Tensor>): void {
  const child = (k: unknown) => (path ? `${path}.${String(k)}` : String(k));
  if (x instanceof tf.Tensor) out.set(path, x);
  else if (x instanceof Map) for (const [k, v] of x) collect(v, child(k), out);
  else if (Array.isArray(x)) x.forEach((v, i) => collect(v, child(i), out));
}

Load("a state dict is a Map<string, tf.Tensor> in file order, with its _metadata", () => {
  const sd = torch.load(path("state_dict.zip.pth")) as Map<string, tf.Tensor>;
  assert.instance(sd, Map);
  assert.equal([...sd.keys()], (manifest.checkpoints["state_dict.zip.pth"].value as any).$dict.map((kv: any) => kv[0]));
  const metadata = torch.metadataOf(sd) as Map<string, Map<string, number>>;
  assert.is(metadata.get("model.3")!.get("version"), 2); // BatchNorm2d's _version, per the manifest below
  assert.equal((manifest.checkpoints["state_dict.zip.pth"].value as any)._metadata.$dict.find((kv: any) => kv[0] === "model.3")[1], { $dict: [["version", 2]] });
  tf.dispose([...sd.values()]);
});

Load("the same tensor twice stays one tensor", () => {
  const ck = torch.load(path("nested.legacy.pth")) as Map<string, unknown>;
  const shared = ck.get("shared") as tf.Tensor[];
  assert.ok(shared[0] === shared[1]);
});

Load("int64 beyond int32 is an error naming the key, and leaks no tensor", () => {
  const before = tf.memory().numTensors;
  assert.throws(
    () => torch.load(path("int64_big.zip.pth")),
    (err: Error) => err instanceof torch.CheckpointError && err.message === "int64_big.zip.pth: int64 tensor 'big' holds 1099511627776, outside int32 (tfjs has no int64)",
  );
  assert.is(tf.memory().numTensors, before);
});

Load("the name option replaces the file name in errors", () => {
  assert.throws(() => torch.load(readFileSync(path("int64_big.legacy.pth")), { name: "mine.pth" }), /^mine\.pth: int64 tensor 'big'/);
  assert.throws(() => torch.load(readFileSync(path("int64_big.legacy.pth"))), /^<buffer>: /);
});

Load("a missing file is one line naming it", () => {
  assert.throws(() => torch.load(path("no-such.pth")), (err: Error) => err instanceof torch.CheckpointError && err.message === "no-such.pth: cannot read: no such file");
});

Load("a folder is one line naming it", () => {
  assert.throws(() => torch.load(path("bad")), (err: Error) => err instanceof torch.CheckpointError && err.message === "bad: cannot read: is a folder, not a checkpoint");
});

Load("loads the same on the cpu backend", async () => {
  await useBackend("cpu");
  const sd = torch.load(path("views.legacy.pth")) as Map<string, tf.Tensor>;
  assert.equal(Array.from(sd.get("transposed")!.dataSync()), manifest.checkpoints["views.legacy.pth"].tensors.transposed.values);
  tf.dispose([...sd.values()]);
  await useBackend("wasm");
});

Load.run();
