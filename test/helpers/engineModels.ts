/**
 * @file Models the engine tests export, mirrored from scripts/fixtures/engine.py so that the
 * PyTorch state dict written there loads into them.
 */
import * as nn from "../../src/nn";

/** One of every layer exportOnnx knows (engine.py `all_layers`). */
export function allLayers(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.LeakyReLU(0.2, true),
    new nn.Dropout(0.5),
    new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    new nn.InstanceNorm2d(3, { affine: true }),
    new nn.ReflectionPad2d([1, 2, 0, 3]),
    new nn.ReLU(true),
    new nn.Conv2d(3, 2, 1, { bias: false }),
    new nn.Tanh(),
  );
}
