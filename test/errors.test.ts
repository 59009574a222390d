/**
 * The error rule, walked through the public API (what `import … from "stripes"` gives): each
 * bad input of each kind raises its area's StripesError subclass with one line naming the
 * function, file or argument and the problem, shapes as the caller passed them (NCHW).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as stripes from "../src/index";
import { fixturePath } from "./helpers/fixtures";
import { useDefaultBackend } from "./helpers/backend";
import { errorLine, firstLine, messageOf, oneLine } from "../src/errors";

const { tf, nn, torch, transforms, lessons, Image } = stripes;
const zeros = (...shape: number[]) => tf.zeros(shape);
const img = () => new Image(4, 3, "RGB", new Uint8Array(4 * 3 * 3));

type Case = [string, () => unknown, Function, RegExp];
const cases: Case[] = [
  // checkpoints
  ["torch.load of a missing file", () => torch.load("nowhere/x.pth"), stripes.CheckpointError, /^x\.pth: cannot read: no such file$/],
  ["torch.load of a number", () => torch.load(42 as any), stripes.CheckpointError, /^torch\.load: needs a path or a Uint8Array, but got number$/],
  ["torch.load of a non-checkpoint", () => torch.load(fixturePath("torch", "bad", "not-a-checkpoint.pth")), stripes.CheckpointError, /^not-a-checkpoint\.pth: not a PyTorch checkpoint/],
  // layers: shapes as passed (NCHW), never the NHWC they compute on
  ["Conv2d(3, 8, 3) given [1, 4, 10, 12]", () => new nn.Conv2d(3, 8, 3).forward(zeros(1, 4, 10, 12)), stripes.ModuleError,
    /^Conv2d\(3, 8\): expected input \[1, 4, 10, 12\] to have 3 channels, but got 4 channels instead$/],
  ["ConvTranspose2d(3, 8, 3) given [1, 4, 5, 6]", () => new nn.ConvTranspose2d(3, 8, 3).forward(zeros(1, 4, 5, 6)), stripes.ModuleError,
    /^ConvTranspose2d\(3, 8\): expected input \[1, 4, 5, 6\] to have 3 channels/],
  ["InstanceNorm2d(3) given [1, 4, 10, 12]", () => new nn.InstanceNorm2d(3).forward(zeros(1, 4, 10, 12)), stripes.ModuleError,
    /^InstanceNorm2d\(3\): expected input \[1, 4, 10, 12\] to have 3 channels, but got 4 channels instead$/],
  ["BatchNorm2d(3) given [2, 5, 4, 4]", () => new nn.BatchNorm2d(3).forward(zeros(2, 5, 4, 4)), stripes.ModuleError, /^BatchNorm2d\(3\): expected input \[2, 5, 4, 4\]/],
  ["ReflectionPad2d(3) given [1, 2, 3, 8]", () => new nn.ReflectionPad2d(3).forward(zeros(1, 2, 3, 8)), stripes.ModuleError,
    /^ReflectionPad2d: padding \(3, 3, 3, 3\) must be smaller than the input's height and width, but got input of shape \[1, 2, 3, 8\]$/],
  ["Conv2d(3, 8, 7) given [1, 3, 4, 4] (smaller than the kernel)", () => new nn.Conv2d(3, 8, 7).forward(zeros(1, 3, 4, 4)), stripes.ModuleError,
    /^Conv2d: input \[1, 3, 4, 4\] is 4×4 after padding, smaller than the kernel 7×7$/],
  ["Conv2d given a 3-D tensor", () => new nn.Conv2d(3, 8, 3).forward(zeros(3, 10, 12)), stripes.ModuleError, /^Conv2d expects a 4-D NCHW batch, but got shape \[3, 10, 12\]$/],
  ["Conv2d given a number", () => new nn.Conv2d(3, 8, 3).forward(42 as any), stripes.ModuleError, /^Conv2d expects a tensor \(a 4-D NCHW batch\), but got number$/],
  ["Conv2d(0, 8, 3)", () => new nn.Conv2d(0, 8, 3), stripes.ModuleError, /^Conv2d: in_channels must be a positive integer, but got 0$/],
  ["Dropout(2)", () => new nn.Dropout(2), stripes.ModuleError, /^Dropout: probability has to be between 0 and 1, but got 2$/],
  ["Sequential.at out of range", () => new nn.Sequential(new nn.ReLU()).at(3), stripes.ModuleError, /^Sequential\.at: index 3 is out of range for a Sequential of 1$/],
  // The one exception to "one line": PyTorch's own message, line for line (test/models checks it
  // against PyTorch's); the CLI never shows it, as convert judges a checkpoint's shapes first.
  ["loadStateDict with a wrong shape", () => new nn.Conv2d(3, 8, 3).loadStateDict(new Map([["weight", zeros(8, 3, 5, 5)], ["bias", zeros(8)]])),
    stripes.StateDictError, /^Error\(s\) in loading state_dict for Conv2d:\n\tsize mismatch for weight: copying a param with shape \[8, 3, 5, 5\] from checkpoint, the shape in current model is \[8, 3, 3, 3\]\.$/],
  // models
  ["ResNetGenerator(0)", () => new stripes.ResNetGenerator(0), stripes.ModelError, /^ResNetGenerator: input_nc must be an integer ≥ 1, but got 0$/],
  ["generatorFromStateDict of an empty Map", () => stripes.generatorFromStateDict(new Map(), "g.pth"), stripes.NotAGeneratorError,
    /^g\.pth: not a ResNet CycleGAN generator checkpoint: missing model\.1\.weight .*; it is empty$/],
  // tensors
  ["unsqueeze(x, 5) of a 2-D tensor", () => stripes.unsqueeze(zeros(2, 3), 5), stripes.TensorError, /^unsqueeze: dim 5 is out of range for a tensor of rank 2 \(expected -3…2\)$/],
  ["squeeze(x, -4) of a 3-D tensor", () => stripes.squeeze(zeros(1, 2, 3), -4), stripes.TensorError, /^squeeze: dim -4 is out of range/],
  ["unsqueeze of a number", () => stripes.unsqueeze(3 as any, 0), stripes.TensorError, /^unsqueeze expects a tensor, but got number$/],
  // images and transforms
  ["new Image with an unknown mode", () => new Image(1, 1, "P" as any, new Uint8Array(1)), stripes.VisionError, /^Image: unknown mode 'P'/],
  ["Image.convert to an unknown mode", () => img().convert("CMYK" as any), stripes.VisionError, /^Image\.convert: cannot convert to mode 'CMYK'/],
  ["Image.resize to 0×3", () => img().resize([0, 3]), stripes.VisionError, /^Image\.resize: height and width must be positive integers/],
  ["Resize(-1)", () => transforms.Resize(-1), stripes.VisionError, /^Resize: size should be a positive int/],
  ["Resize of a tensor", () => transforms.Resize(8)(zeros(3, 4, 4) as any), stripes.VisionError, /^Resize expects an Image/],
  ["ToTensor of a number", () => transforms.ToTensor()(7 as any), stripes.VisionError, /^ToTensor expects an Image, but received/],
  ["ToPILImage of [5, 2, 2]", () => transforms.ToPILImage()(zeros(5, 2, 2) as any), stripes.VisionError, /^ToPILImage expects 1 to 4 channels, but the tensor has 5 \(shape \[5,2,2\]\)$/],
  ["Normalize with 2 means for 3 channels", () => transforms.Normalize([0.5, 0.5], [0.5])(zeros(3, 2, 2) as any), stripes.VisionError, /^Normalize: mean has 2 values, but the tensor has 3 channels$/],
  ["CenterCrop(0)", () => transforms.CenterCrop(0), stripes.VisionError, /^CenterCrop: size should be a positive int/],
  ["Compose of a number", () => transforms.Compose(3 as any), stripes.VisionError, /^Compose expects a list of transforms/],
  // engines
  ["createEngine with an unknown engine", () => stripes.createEngine(new nn.ReLU(), { engine: "gpu" as any, channels: 3 }), stripes.EngineError, /^unknown engine 'gpu' \(choose one of auto, onnx, tfjs\)$/],
  ["exportOnnx of a module running an op with no export", () => stripes.exportOnnx(new (class Mystery extends nn.Module {
    override forward(x: stripes.tf.Tensor) { return tf.cumsum(x, 1); }
  })(), 3), stripes.EngineError, /^exportOnnx: Mystery runs the tf op 'Cumsum', which has no ONNX export \(supported: Abs, Add, .*\)$/],
  ["exportOnnx with 0 channels", () => stripes.exportOnnx(new nn.ReLU(), 0), stripes.EngineError, /^exportOnnx: channels must be a positive integer, got 0$/],
  // lessons
  ["an unknown exercise", () => stripes.lessons.exercise("99-nope"), lessons.ExerciseError, /^no exercise '99-nope'/],
  ["imageGridPng of 2-channel images", () => lessons.imageGridPng([zeros(1, 2, 4, 4) as any]), lessons.LessonError, /^imageGridPng expects images of 1 or 3 channels, but got 2 \(shape \[1, 2, 4, 4\]\)$/],
];

const async = [
  ["Image.open of a missing file", () => Image.open("nowhere/x.png"), stripes.ImageError, /^nowhere\/x\.png: no such file$/],
  ["Image.open of a non-image", () => Image.open(fixturePath("convert", "bad", "not-an-image.png")), stripes.ImageError, /not-an-image\.png: not an image/],
] as Case[];

const Errors = suite("the error rule, through the public API");
Errors.before(async () => {
  await useDefaultBackend();
});

/** The error `run` raises (sync or async), or a failure saying it returned. */
async function raised(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  assert.unreachable("no error was raised");
}

for (const [name, run, cls, message] of [...cases, ...async]) {
  Errors(`${name}: ${cls.name}, one line`, async () => {
    const err = (await raised(run)) as Error;
    assert.instance(err, cls, `${err?.constructor?.name}: ${err?.message}`);
    assert.instance(err, stripes.StripesError);
    assert.is(err.name, err.constructor.name);
    if (!(err instanceof stripes.StateDictError)) assert.not.match(err.message, /\n/);
    assert.not.match(err.message, /NHWC/);
    assert.match(err.message, message);
  });
}

Errors("each area's class is a StripesError and is exported from index.ts", () => {
  const classes = [stripes.CheckpointError, stripes.ModuleError, stripes.StateDictError, stripes.ModelError, stripes.NotAGeneratorError,
    stripes.TensorError, stripes.VisionError, stripes.ImageError, stripes.EngineError, stripes.FetchError, lessons.ExerciseError, lessons.LessonError];
  for (const cls of classes) assert.ok(cls.prototype instanceof stripes.StripesError, cls.name);
  assert.is(cases.length + async.length, 37); // a dropped case shows here
});

Errors.run();

// The helpers every area uses to keep a message on one line (src/errors.ts).
const Lines = suite("one-line helpers");

Lines("oneLine joins lines, dropping the indentation around each break, and keeps spaces within a line", () => {
  // As a parser quoting the text it choked on, newlines and indentation included.
  assert.is(oneLine('Unexpected token \']\', "{\n  "cells": [\n    1,\n  ]\n}" is not valid JSON'),
    'Unexpected token \']\', "{ "cells": [ 1, ] }" is not valid JSON');
  assert.is(oneLine("a  b\r\n   c\n\nd \n"), "a  b c d");
});

Lines("firstLine keeps what precedes the first break; messageOf reads anything thrown", () => {
  assert.is(firstLine(new Error("shape mismatch\n    at dump line 1\n    at dump line 2")), "shape mismatch");
  assert.is(firstLine("plain text"), "plain text");
  assert.is(messageOf({ message: "from an object" }), "from an object");
  assert.is(messageOf(42), "42");
  assert.is(messageOf(null), "null");
});

Lines("errorLine is `Name: message` on one line, or the thrown value's text", () => {
  assert.is(errorLine(new TypeError("bad\n  value")), "TypeError: bad value");
  assert.is(errorLine(new stripes.widgets.WidgetError("IntSlider: min 20 is above max 10")), "WidgetError: IntSlider: min 20 is above max 10");
  assert.is(errorLine("nope"), "nope");
});

Lines.run();
