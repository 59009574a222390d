/**
 * @file Lesson 01's exercises (the article: a pretrained horse → zebra generator): a tensor's
 * layout, a layer's parameter count, and two functions the lesson then uses: counting a state
 * dict's parameters, and turning the generator's output into an image.
 * The notebook's cells call `check("01-…", answer)`; see src/lessons/check.ts.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Exercise } from "../shared/exercise";
import { judgeNumber, judgeOnTorchCases, judgeShape } from "../shared/judges";

/** The article's `(batch_out.data.squeeze() + 1.0) / 2.0`. */
const toImage = (batchOut: tf.Tensor): tf.Tensor => tf.div(tf.add(tf.squeeze(batchOut), 1), 2);
/** The article's `sum(p.numel() for p in netG.parameters())`, on a state dict (a Map, as torch.load gives it). */
const countParameters = (stateDict: Map<string, tf.Tensor>): number => [...stateDict.values()].reduce((n, t) => n + t.size, 0);

export const articleExercises: Exercise[] = [
  {
    id: "01-to-tensor-shape",
    question: "transforms.ToTensor() gets an RGB image 400 pixels wide and 300 high. What is the tensor's shape?",
    hint: "PyTorch (and stripes) put channels first, then the two image axes in the order a matrix has them (rows, columns).",
    judge: (a) =>
      judgeShape(a, [3, 300, 400], "ToTensor gives [C, H, W] = [3, 300, 400], values in [0, 1]; unsqueeze(0) then adds the batch axis.", [
        [[300, 400, 3], "that is the image's own layout (H, W, C, as PIL and sharp store it); ToTensor moves channels first"],
        [[3, 400, 300], "width and height are the wrong way round: rows (the height) come before columns"],
        [[400, 300, 3], "that is width × height × channels; a tensor is channels first, then rows, then columns"],
        [[1, 3, 300, 400], "ToTensor does not add a batch axis; unsqueeze(0) does that, in a later cell"],
      ]),
  },
  {
    id: "01-conv-params",
    question: "How many parameters has the generator's first convolution, Conv2d(3, 64, kernel_size=7) (with its bias)?",
    hint: "Each output channel has one 7×7 filter per input channel, plus one bias.",
    judge: (a) =>
      judgeNumber(a, 3 * 64 * 7 * 7 + 64, "64 filters × (3 × 7 × 7 weights) + 64 biases = 9,408 + 64 = 9,472.", [
        [3 * 64 * 7 * 7, "those are the weights only; add one bias per output channel"],
        [64 * 7 * 7 + 64, "each filter spans all 3 input channels, not one"],
        [64 * 7 * 7, "each filter spans all 3 input channels, and each output channel has a bias too"],
        [3 * 64 * 7 + 64, "the kernel is 7 × 7, not 7"],
        [3 * 64 * 7 * 7 + 3, "there is one bias per OUTPUT channel"],
      ], 0),
  },
  {
    id: "01-count-parameters",
    question: "Write countParameters(stateDict): how many numbers (weights and biases) a state dict holds. The lesson prints it for the horse-to-zebra generator.",
    hint: "A state dict is a Map from names to tensors; how many numbers does one tensor of shape [64, 3, 7, 7] hold, and is there a property that says so?",
    solution: countParameters,
    judge: (a) =>
      judgeOnTorchCases(
        a,
        "01-count-parameters",
        "every tensor holds as many numbers as the product of its shape (t.size, PyTorch's numel()); their sum is what PyTorch's sum(p.numel() for p in netG.parameters()) gives.",
        {
          tensors: "that counts the tensors (the entries), not the numbers inside them",
          "weights-only": "the biases are parameters too: count every entry, not only the weights",
          ranks: "that adds up each tensor's number of axes (its rank), not the numbers it holds",
          "dims-added": "you added the sizes of each tensor's axes; a [64, 3, 7, 7] tensor holds more numbers than 64 + 3 + 7 + 7",
          "no-entries": "that is 0: a state dict is a Map, and Object.values / Object.keys / Object.entries see none of a Map's entries; a Map hands them out itself",
        },
        { returns: "number", tol: 0 },
      ),
  },
  {
    id: "01-to-image",
    question: "Write toImage(batchOut): the generator's output batch [1, C, H, W], values in [−1, 1] (it ends in Tanh), as one image tensor [C, H, W] in [0, 1] for ToPILImage.",
    hint: "Two steps: drop the batch axis (squeeze), then a linear map that sends −1 to 0 and 1 to 1.",
    solution: toImage,
    judge: (a) =>
      judgeOnTorchCases(a, "01-to-image", "squeeze drops the batch axis and (t + 1) / 2 sends −1 → 0 and 1 → 1: the article's (batch_out.data.squeeze() + 1.0) / 2.0.", {
        "no-squeeze": "the batch axis is still there: ToPILImage takes one image, [C, H, W]; drop the leading axis of size 1",
        clamp: "clipping throws away every negative value (the darker half of the range turns black); shift and scale instead",
        "halved-only": "that lands in [−0.5, 0.5]: shift the values before you scale them",
        "shifted-only": "that lands in [0, 2]: scale it too",
        "minus-one": "that lands in [−1, 0]: shift the other way",
        "times-255": "that lands in [0, 255]: ToPILImage takes floats in [0, 1] and scales them to bytes itself",
      }),
  },
];
