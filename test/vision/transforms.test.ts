/**
 * torchvision 0.14's transforms against scripts/fixtures/vision.py: the book's
 * `Compose([Resize(s), ToTensor()])` on L, RGB, RGBA images (down, up, both orientations, [h, w]),
 * CenterCrop on images and tensors, Normalize, ToPILImage of float tensors, the size rule, reprs.
 * Tolerance: 1 grey level (max |Δ| × 255 ≤ 1), as the issue sets; counts of differing values
 * are asserted too.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { transforms, Image } from "../../src";
import { useBackend, BackendName } from "../../src/backend";
import { expected, levelDiff, manifest, source } from "./helpers";
import { test as countCheck } from "uvu";

const BACKENDS: BackendName[] = ["wasm", "cpu"];
const entries = (prefix: string) => Object.entries(manifest).filter(([k]) => k.startsWith(prefix)) as [string, any][];

for (const backend of BACKENDS) {
  const Pipeline = suite(`transforms on ${backend}`);
  Pipeline.before(async () => {
    await useBackend(backend);
  });

  for (const [name, e] of entries("pipeline_")) {
    Pipeline(`Compose([Resize(${JSON.stringify(e.size)}, ${e.interpolation ?? "bilinear"}), ToTensor()]) on ${e.source} equals torchvision`, async () => {
      const preprocess = transforms.Compose([transforms.Resize(e.size, e.interpolation ?? "bilinear"), transforms.ToTensor()]);
      const img_t = preprocess(await source(e.source));
      const want = expected(name);
      assert.equal(img_t.shape, want.shape); // [C, H, W]
      const { differing, maxLevels } = levelDiff(img_t.dataSync(), want.data, 255);
      img_t.dispose();
      assert.ok(maxLevels <= 1, `max |Δ| ${maxLevels} levels`);
      assert.is(differing, 0, `${differing} values differ from torchvision`);
    });
  }

  for (const [name, e] of entries("centercrop_tensor_")) {
    Pipeline(`CenterCrop(${JSON.stringify(e.size)}) of a CHW tensor of ${e.source} equals torchvision`, async () => {
      const t = transforms.ToTensor()(await source(e.source));
      const n0 = tf.memory().numTensors;
      const out = transforms.CenterCrop(e.size)(t);
      assert.is(tf.memory().numTensors, n0 + 1, "CenterCrop leaks tensors");
      const want = expected(name);
      assert.equal(out.shape, want.shape);
      assert.equal(levelDiff(out.dataSync(), want.data), { differing: 0, maxLevels: 0 });
      tf.dispose([t, out]);
    });
  }

  Pipeline("Normalize(ImageNet mean, std) equals torchvision within float32 rounding", async () => {
    const e = manifest.normalize_rgb_23x17;
    const t = transforms.ToTensor()(await source(e.source));
    const n0 = tf.memory().numTensors;
    const out = transforms.Normalize(e.mean, e.std)(t);
    assert.is(tf.memory().numTensors, n0 + 1, "Normalize leaks tensors");
    const { maxLevels } = levelDiff(out.dataSync(), expected("normalize_rgb_23x17").data);
    assert.ok(maxLevels <= 1e-6, `max |Δ| ${maxLevels}`); // (x - m) / s with |x| ≤ 2.7: a few float32 ulps
    tf.dispose([t, out]);
  });

  for (const [name, e] of entries("topil_").filter(([k]) => !k.endsWith("_input"))) {
    const which = name.slice("topil_".length);
    Pipeline(`ToPILImage of ${which} equals torchvision${which === "out_of_range" ? " where in [0, 1], clamps elsewhere" : ""}`, () => {
      const input = expected(`${name}_input`);
      const t = tf.tensor(input.data, input.shape, "float32");
      const img = transforms.ToPILImage()(t);
      t.dispose();
      const want = expected(name);
      assert.is(img.mode, e.mode);
      assert.equal([img.height, img.width, img.channels], [want.shape[0], want.shape[1], want.shape[2] ?? 1]);
      if (which !== "out_of_range") {
        assert.equal(levelDiff(img.data, want.data), { differing: 0, maxLevels: 0 });
        return;
      }
      // Porting note: PyTorch's uint8 cast wraps out-of-range values; stripes clamps them.
      const [c, h, w] = input.shape;
      let inRange = 0;
      for (let i = 0; i < h * w; i++) {
        for (let b = 0; b < c; b++) {
          const v = input.data[b * h * w + i];
          const got = img.data[i * c + b];
          if (v < 0) assert.is(got, 0);
          else if (v * 255 >= 256) assert.is(got, 255);
          else {
            assert.is(got, want.data[i * c + b]);
            inRange++;
          }
        }
      }
      assert.ok(inRange > 0 && inRange < c * h * w, "the case has values in and out of range");
    });
  }
  Pipeline.run();
}

const Sizes = suite("Resize size rule and CenterCrop offsets");

for (const r of manifest.resize_rule) {
  Sizes(`Resize(${r.size}${r.max_size ? `, max_size=${r.max_size}` : ""}) of ${r.in.join("x")} gives ${r.out.join("x")} as torchvision`, () => {
    assert.equal(transforms.resizedSize(r.in, r.size, r.max_size ?? undefined), r.out);
  });
}

Sizes("Resize returns the same Image when the size is unchanged, as torchvision", async () => {
  const img = await source("rgb_23x17.png");
  assert.is(transforms.Resize(17)(img), img);
});

for (const [name, e] of entries("centercrop_").filter(([k]) => !k.startsWith("centercrop_tensor_"))) {
  Sizes(`CenterCrop(${JSON.stringify(e.size)}) of ${e.source} equals torchvision`, async () => {
    const img = transforms.CenterCrop(e.size)(await source(e.source));
    const want = expected(name);
    assert.equal([img.height, img.width], want.shape.slice(0, 2));
    assert.equal(levelDiff(img.data, want.data), { differing: 0, maxLevels: 0 });
  });
}

const Calls = suite("transforms are callable like the book's");

Calls("the book's preprocess cell", async () => {
  await useBackend("wasm");
  const preprocess = transforms.Compose([transforms.Resize(256), transforms.ToTensor()]);
  const img = new Image(1500, 1220, "RGB", new Uint8Array(1500 * 1220 * 3));
  const img_t: tf.Tensor3D = preprocess(img);
  assert.equal(img_t.shape, [3, 256, 314]);
  img_t.dispose();
});

Calls("ToTensor gives CHW with 1, 2, 3, 4 channels for L, LA, RGB, RGBA", () => {
  for (const [mode, c] of [["L", 1], ["LA", 2], ["RGB", 3], ["RGBA", 4]] as const) {
    const t = transforms.ToTensor()(new Image(5, 2, mode, new Uint8Array(10 * c).fill(255)));
    assert.equal(t.shape, [c, 2, 5]);
    assert.is(t.dtype, "float32");
    assert.is(t.max().dataSync()[0], 1);
    t.dispose();
  }
});

Calls("ToPILImage round-trips ToTensor exactly (k / 255 * 255 == k in float32)", () => {
  const data = new Uint8Array(256 * 3).map((_, i) => i % 256);
  const img = new Image(16, 16, "RGB", data);
  const t = transforms.ToTensor()(img);
  assert.equal(transforms.ToPILImage()(t).data, data);
  t.dispose();
});

Calls("reprs equal torchvision's", () => {
  const r = manifest.repr;
  assert.is(String(transforms.Compose([transforms.Resize(256), transforms.ToTensor()])), r.compose);
  assert.is(String(transforms.Resize([50, 33], transforms.InterpolationMode.BICUBIC)), r.resize_hw_bicubic);
  assert.is(String(transforms.CenterCrop(224)), r.centercrop);
  assert.is(String(transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])), r.normalize);
  assert.is(String(transforms.ToPILImage()), r.topil);
});

Calls("wrong inputs name what was expected and what came", () => {
  assert.throws(() => transforms.Resize(0), /Resize: size should be a positive int/);
  assert.throws(() => (transforms.Resize(8) as any)(tf.zeros([3, 4, 4])), /Resize expects an Image .* but received a Tensor/);
  assert.throws(() => transforms.ToPILImage()(tf.zeros([1, 3, 4, 4])), /ToPILImage expects a tensor of shape \[C, H, W\] or \[H, W\], but received shape \[1,3,4,4\]/);
  assert.throws(() => transforms.ToPILImage()(tf.zeros([5, 4, 4])), /ToPILImage expects 1 to 4 channels, but the tensor has 5 \(shape \[5,4,4\]\)/);
  assert.throws(() => transforms.ToPILImage()(tf.zeros([0, 4, 4])), /ToPILImage expects 1 to 4 channels, but the tensor has 0/);
  assert.throws(() => transforms.Normalize([0.5], [0]), /division by zero/);
  assert.throws(() => (transforms.ToTensor() as any)(tf.zeros([3, 4, 4])), /ToTensor expects an Image, but received a Tensor/);
  assert.throws(() => transforms.Resize(8, "cubic" as any), /unknown interpolation 'cubic'/);
});

Sizes.run();
Calls.run();

// The data-driven cases above are read off the fixture manifest; a renamed or lost
// fixture must fail here, not drop its cases silently.
countCheck("the manifest holds all 9 resize_rule cases", () => {
  assert.is(manifest.resize_rule.length, 9);
});
countCheck.run();
