/**
 * @file `adam`, a drop-in for `tf.train.adam` (same arguments, same numbers, same class: it is a
 * `tf.AdamOptimizer`) whose update costs one kernel call per variable on wasm instead of 13.
 *
 *     const optG = nn.adam(2e-4, 0.5);      // as tf.train.adam(2e-4, 0.5)
 *     optG.minimize(() => loss(), false, netG.parameters());
 *
 * Porting note: like tf.train.adam, and unlike torch.optim.Adam's 1e-8, ε defaults to the
 * backend's epsilon (1e-7); pass 1e-8 to train with PyTorch's default. The update is tfjs's
 * AdamOptimizer.applyGradients step for step (src/kernels/adam.ts: the same float32 operations
 * in the same order), including its moment variables' names, so getWeights/setWeights and
 * serialisation are tfjs's. On backends without the kernel it is tfjs's own code.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedAdamUpdate, hasFusedAdam } from "../kernels";

type Gradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

export class Adam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients.map((v) => ({ name: v.name, tensor: v.tensor as tf.Tensor | undefined }))
      : Object.keys(variableGradients).map((name) => ({ name, tensor: (variableGradients as Record<string, tf.Tensor | undefined>)[name] }));
    const registered = tf.engine().registeredVariables;
    if (!hasFusedAdam() || list.some(({ name, tensor }) => registered[name]?.dtype !== "float32" || (tensor != null && tensor.dtype !== "float32"))) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as {
      accBeta1: tf.Variable; accBeta2: tf.Variable;
      accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
      accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
      incrementIterations(): void;
    };
    const f = Math.fround;
    // tfjs computes 1 − β^t from float32 variables with float32 ops; read them (a 4-byte copy on wasm)
    const acc1 = self.accBeta1.dataSync()[0], acc2 = self.accBeta2.dataSync()[0];
    const attrs = {
      beta1: f(this.beta1),
      oneMinusBeta1: f(1 - this.beta1),
      beta2: f(this.beta2),
      oneMinusBeta2: f(1 - this.beta2),
      correction1: f(1 - acc1),
      correction2: f(1 - acc2),
      epsilon: f(this.epsilon),
      negLearningRate: f(-this.learningRate),
    };
    tf.tidy(() => {
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = registered[name];
        // the moments are created as tfjs creates them (names, order), so getWeights/setWeights match
        self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable, v = self.accumulatedSecondMoment[i].variable;
        const [w1, m1, v1] = fusedAdamUpdate(value, gradient, m, v, attrs);
        m.assign(m1);
        v.assign(v1);
        value.assign(w1);
      });
      self.accBeta1.assign(tf.scalar(f(acc1 * attrs.beta1)));
      self.accBeta2.assign(tf.scalar(f(acc2 * attrs.beta2)));
    });
    self.incrementIterations();
  }
}

/** `tf.train.adam`'s signature and defaults (ε = the backend's epsilon when null). */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): Adam {
  return new Adam(learningRate, beta1, beta2, epsilon as number);
}
