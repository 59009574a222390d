/**
 * @file The public API of stripes. Only what is exported here is public; notebooks and the CLI
 * import from this file alone. Re-exports come in groups, following the data's path:
 * file bytes → state dict → module → tensor → image.
 */
import * as tf from "@tensorflow/tfjs-core";

export { tf };
// Kept in index.d.ts on purpose (types only, erased at run time): the declarations of tfjs-core's
// chained tensor methods (x.add(y), x.sum()), so that notebooks and scripts type-check them.
export type {} from "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
export const version: string = require("../package.json").version;

// Errors: every mistake in what a user passes (a bad file, argument or shape) is a StripesError
// with a one-line message; each area has its subclass, exported beside the area below.
export { StripesError } from "./errors";

// Backend: which TensorFlow.js backend computes.
export { ready, useBackend, backendName, threads, inferenceThreads, backendSummary, BACKENDS, BackendError } from "./backend";
export type { BackendName } from "./backend";

// Checkpoints: `torch.load` / `torch.save` for PyTorch's files (zip and legacy formats).
export * as torch from "./torch";
export { CheckpointError } from "./torch";

// Modules: the `nn` namespace (as torch.nn) and the book's models.
export * as nn from "./nn";
export { ModuleError, StateDictError } from "./nn";
export { ResNetGenerator, ResNetBlock, NLayerDiscriminator, ModelError } from "./models";
export type { NormKind } from "./models";
// A generator's sizes read off its state dict (lesson 01 uses it for checkpoints of any size).
export { generatorConfig, generatorFromStateDict, NotAGeneratorError } from "./models";
export type { GeneratorConfig } from "./models";

// Tensors: PyTorch-named helpers over plain tfjs tensors.
export { unsqueeze, squeeze, TensorError } from "./tensor";

// Memory: what holds it (tensors, bytes, the wasm heap, which names), and an allocation past the heap.
export { memory } from "./notebook/memory";
export type { MemoryReport, NameMemory } from "./notebook/memory";
export { OutOfMemoryError } from "./heap";
export type { HeapInfo } from "./heap";

// Images: PIL's `Image` (sharp codecs, PIL-exact resize), torchvision's `transforms`, inline display.
export { Image } from "./vision/image";
export type { Mode } from "./vision/image";
export { ImageError, VisionError } from "./vision/errors";
export * as transforms from "./vision/transforms";
export { display, newDisplay } from "./notebook/display";
export type { DisplayHandle } from "./notebook/display";

// Widgets: sliders, dropdowns, buttons, play, image, output and boxes for notebooks (the ipywidgets 8
// protocol, so JupyterLab draws them), and `interact` to re-run a function when its controls change.
export * as widgets from "./notebook/widgets";
export { interact } from "./notebook/widgets";

// The article's files: verified, cached downloads of horse2zebra_0.4.0.pth and horse.jpg (`stripes-gan fetch`).
export { fetchArticleFile, fetchArticleFiles, fetchFile, ARTICLE_FILES, BOOK_BASE_URL, cacheDir, gitBlobSha1 } from "./fetch/fetch";
export type { ArticleFileKey, RemoteFile, FetchOptions, FetchEvent } from "./fetch/fetch";
export { FetchError } from "./fetch/errors";

// Engines: a module exported to ONNX and run on onnxruntime-node, or on tfjs (`--engine` in the CLI).
export { exportOnnx } from "./engine/exportOnnx";
export { createEngine, ENGINE_CHOICES } from "./engine/engine";
export { EngineError } from "./engine/errors";
export type { Engine, EngineChoice, EngineName, EngineOptions } from "./engine/engine";

// Lessons: what the notebooks of 02 and 03 use (the GAN playground; the shapes, measures and
// fallback of the tiny CycleGAN), and the exercises' `check(id, answer)`.
export * as lessons from "./lessons";
export { check, answerOr, lessonSettings, type LessonSettings } from "./lessons";
// Timing a lesson's step in either place: wall time, and CPU time where the runtime can read it.
export { stopwatch } from "./platform/clock";
export type { Stopwatch, StopwatchReading } from "./platform/clock";
