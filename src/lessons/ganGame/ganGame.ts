/**
 * @file The GAN game on 2-D points (lesson 02): two small MLPs, their optimisers, one move of
 * each player, and a snapshot of everything the views draw. The playground
 * (src/lessons/ganGame/ganPlayground.ts) and the headless schedule both drive this same object.
 *
 * Example:
 *   const game = new GanGame({ data: "ring", pack: 2 });
 *   for (let i = 0; i < 1000; i++) game.step();   // dSteps moves of D, then one of G
 *   game.snapshot().coverage                        // { covered: 7, … }
 *   game.dispose();
 */
import * as tf from "@tensorflow/tfjs-core";
import { LessonError } from "../shared/errors";
import { lossesFor, type DLoss, type GLoss, type LossName } from "./ganLosses";
import { modeCoverage, type Coverage } from "./modeCoverage";
import { pointsMixture, ringCenters, ringOfGaussians, spiral, twoMoons } from "./toyData";

export type DataName = "ring" | "spiral" | "moons" | "points";
export const DATA_NAMES: DataName[] = ["ring", "spiral", "moons", "points"];

export interface GameSettings {
  data: DataName;
  /** The modes of "points" data: the learner lists them (each a small Gaussian). */
  points: [number, number][];
  loss: LossName;
  lrD: number;
  lrG: number;
  /** D's moves per move of G. */
  dSteps: number;
  /** How many points D judges at once (1: the original GAN; PacGAN, Lin et al. 2018). */
  pack: number;
  noiseDim: number;
  /** The standard deviation of each blob of ring and points data (and of the coverage measure's 3σ). */
  std: number;
  batch: number;
  hidden: number;
  seed: number;
}

export const GAME_DEFAULTS: GameSettings = {
  data: "ring",
  points: [[-1.5, -1], [1.5, -1], [0, 1.5]],
  loss: "non-saturating",
  lrD: 1e-3,
  lrG: 1e-3,
  dSteps: 1,
  pack: 1,
  noiseDim: 8,
  std: 0.05,
  batch: 256,
  hidden: 64,
  seed: 0,
};

/** The learner's own loss functions (lesson 02's exercises), used in place of the built-in ones. */
export interface OwnLosses {
  dLoss?: DLoss;
  gLoss?: GLoss;
  minimaxGLoss?: GLoss;
}

/** Everything the views draw, as plain arrays (no tensors kept). */
export interface Snapshot {
  step: number;
  settings: GameSettings;
  real: number[][];
  fake: number[][];
  /** D's probability "real" on a grid over the plane: p[row][col], row 0 at ys[0]. */
  surface: { xs: number[]; ys: number[]; p: number[][] };
  /** A sample of fakes and −∂L_G/∂x at each (the way G's next move pushes it). */
  arrows: { from: number[]; push: number[] }[];
  /** G applied to a grid in noise space (the first two noise axes; the others 0): rows of points. */
  manifold: number[][][];
  losses: { step: number; d: number; g: number }[];
  /** For data with modes (ring, points): how many G covers. */
  coverage?: Coverage;
  centers?: [number, number][];
}

/** The plane the views show, and where D's surface is sampled. */
export const EXTENT = 3;

interface Mlp {
  forward(x: tf.Tensor): tf.Tensor;
  variables: tf.Variable[];
}

/** Linear → ReLU → Linear → ReLU → Linear, He-initialised, seeded (tfjs reads seed 0 as "no seed"). */
function mlp(sizes: number[], seed: number): Mlp {
  // tidy frees the initial values; variables outlive it
  const weights = sizes.slice(1).map((n, i) => tf.tidy(() => tf.variable(tf.randomNormal([sizes[i], n], 0, Math.sqrt(2 / sizes[i]), "float32", 1000 * seed + i + 1))));
  const biases = sizes.slice(1).map((n) => tf.tidy(() => tf.variable(tf.zeros([n]))));
  const forward = (x: tf.Tensor): tf.Tensor => {
    let h = x;
    weights.forEach((w, i) => {
      h = tf.add(tf.matMul(h, w), biases[i]);
      if (i < weights.length - 1) h = tf.relu(h);
    });
    return h;
  };
  return { forward, variables: [...weights, ...biases] };
}

const DATA_SIZE = 20000;

export class GanGame {
  settings: GameSettings;
  stepCount = 0;
  readonly losses: { step: number; d: number; g: number }[] = [];
  private G!: Mlp;
  private D!: Mlp;
  private optD!: tf.Optimizer;
  private optG!: tf.Optimizer;
  private data!: tf.Tensor2D;
  private lastD = NaN;
  private lastG = NaN;
  private draws = 0;

  constructor(settings: Partial<GameSettings> = {}, private own: OwnLosses = {}) {
    this.settings = { ...GAME_DEFAULTS, ...settings };
    this.build();
  }

  /** New players (and data), step 0. */
  reset(): void {
    const old = { G: this.G, D: this.D, optD: this.optD, optG: this.optG, data: this.data };
    this.build(); // throws before touching the game when a setting is bad
    tf.dispose([...old.G.variables, ...old.D.variables, old.data]);
    old.optD.dispose();
    old.optG.dispose();
  }

  /**
   * Changes settings. Learning rates and the loss apply from the next move; the data, pack,
   * noise dimension, sizes and seed make new players (a reset).
   */
  set(change: Partial<GameSettings>): void {
    const before = this.settings;
    this.settings = { ...before, ...change };
    const rebuild = (["data", "pack", "noiseDim", "std", "batch", "hidden", "seed"] as const).some((k) => change[k] !== undefined && change[k] !== before[k])
      || (change.points !== undefined && this.settings.data === "points");
    if (rebuild) {
      try {
        this.reset();
      } catch (err) {
        this.settings = before; // a bad setting leaves the game as it was
        throw err;
      }
      return;
    }
    if (change.lrD !== undefined && change.lrD !== before.lrD) this.optD = this.replace(this.optD, change.lrD);
    if (change.lrG !== undefined && change.lrG !== before.lrG) this.optG = this.replace(this.optG, change.lrG);
  }

  /** The learner's losses, from now on. */
  useLosses(own: OwnLosses): void {
    this.own = own;
  }

  /** One move of D on a fresh batch: its loss. */
  stepD(): number {
    const { batch } = this.settings;
    const s = this.seedFor(0);
    this.lastD = tf.tidy(() => {
      const real = tf.gather(this.data, tf.randomUniform([batch], 0, this.data.shape[0], "int32", s));
      const fake = this.G.forward(this.noise(batch, s + 1));
      const losses = lossesFor(this.settings.loss, this.own);
      const loss = this.optD.minimize(() => losses.d(this.judge(real), this.judge(fake)) as tf.Scalar, true, this.D.variables as tf.Variable[])!;
      return loss.dataSync()[0];
    });
    this.draws++;
    this.record();
    return this.lastD;
  }

  /** One move of G on a fresh batch, through the D of this moment: its loss. */
  stepG(): number {
    const s = this.seedFor(1);
    this.lastG = tf.tidy(() => {
      const losses = lossesFor(this.settings.loss, this.own);
      const loss = this.optG.minimize(() => losses.g(this.judge(this.G.forward(this.noise(this.settings.batch, s)))) as tf.Scalar, true, this.G.variables as tf.Variable[])!;
      return loss.dataSync()[0];
    });
    this.draws++;
    this.stepCount++;
    this.record();
    return this.lastG;
  }

  /** One round: `dSteps` moves of D, then one of G. */
  step(): void {
    for (let i = 0; i < this.settings.dSteps; i++) this.stepD();
    this.stepG();
  }

  /** G's loss if its fakes were these points (a multiple of pack), through the D of this moment. */
  gLossOn(points: number[][]): number {
    return tf.tidy(() => lossesFor(this.settings.loss, this.own).g(this.judge(tf.tensor2d(points))).dataSync()[0]);
  }

  /** G's samples now: [n, 2] as arrays. */
  sample(n: number, seed = 2e6): number[][] {
    return tf.tidy(() => this.G.forward(this.noise(n, seed)).arraySync() as number[][]);
  }

  /** Mode coverage of 2,000 samples, for data with modes (undefined for spiral and moons). */
  coverage(n = 2000): Coverage | undefined {
    const centers = this.centers();
    return centers && modeCoverage(this.sample(n), centers, this.settings.std);
  }

  /** The modes' centres, for ring and points data. */
  centers(): [number, number][] | undefined {
    if (this.settings.data === "ring") return ringCenters();
    if (this.settings.data === "points") return this.settings.points;
    return undefined;
  }

  /** What the views draw; `n` real and fake points, an `grid`×`grid` surface, `arrows` arrows. */
  snapshot({ n = 250, grid = 30, arrows = 48, manifoldGrid = 13 } = {}): Snapshot {
    const { pack } = this.settings;
    const xs = Array.from({ length: grid }, (_, i) => -EXTENT + (2 * EXTENT * (i + 0.5)) / grid);
    const arrowCount = Math.max(pack, Math.floor(arrows / pack) * pack);
    const out = tf.tidy(() => {
      const real = (tf.gather(this.data, tf.range(0, Math.min(n, this.data.shape[0]), 1, "int32")).arraySync() as number[][]);
      const fakeT = this.G.forward(this.noise(n, 1e6 + 7));
      const fake = fakeT.arraySync() as number[][];
      // D's view of each grid point; with pack > 1, of `pack` copies of it
      const pts = tf.tensor2d(xs.flatMap((y) => xs.map((x) => [x, y])));
      const p = tf.reshape(tf.sigmoid(this.judge(tf.tile(pts, [1, pack]))), [grid, grid]).arraySync() as number[][];
      // −∂L_G/∂x at a sample of fakes: the direction G's next move pushes each point
      const from = tf.slice(fakeT, [0, 0], [arrowCount, 2]);
      const losses = lossesFor(this.settings.loss, this.own);
      const grad = tf.grad((x: tf.Tensor) => losses.g(this.judge(x)))(from);
      const push = tf.neg(grad).arraySync() as number[][];
      const fromA = from.arraySync() as number[][];
      // the image of a grid in noise space
      const zs = Array.from({ length: manifoldGrid }, (_, i) => -2 + (4 * i) / (manifoldGrid - 1));
      const z = tf.concat([tf.tensor2d(zs.flatMap((b) => zs.map((a) => [a, b]))), tf.zeros([manifoldGrid * manifoldGrid, this.settings.noiseDim - 2])], 1);
      const flat = this.G.forward(z).arraySync() as number[][];
      const manifold = zs.map((_, r) => flat.slice(r * manifoldGrid, (r + 1) * manifoldGrid));
      return { real, fake, p, arrows: fromA.map((f, i) => ({ from: f, push: push[i] })), manifold };
    });
    const centers = this.centers();
    return {
      step: this.stepCount,
      settings: { ...this.settings },
      real: out.real,
      fake: out.fake,
      surface: { xs, ys: xs, p: out.p },
      arrows: out.arrows,
      manifold: out.manifold,
      losses: this.losses.slice(),
      coverage: centers && modeCoverage(out.fake, centers, this.settings.std),
      centers,
    };
  }

  /** Frees every tensor the game holds. */
  dispose(): void {
    this.disposePlayers();
  }

  private build(): void {
    const { data, points, noiseDim, std, hidden, pack, seed, lrD, lrG } = this.settings;
    if (!(Number.isInteger(noiseDim) && noiseDim >= 2)) throw new LessonError(`noiseDim must be an integer of at least 2 (got ${noiseDim})`);
    if (!(Number.isInteger(pack) && pack >= 1)) throw new LessonError(`pack must be an integer of at least 1 (got ${pack})`);
    if (!(std > 0 && Number.isFinite(std))) throw new LessonError(`std must be a positive number (got ${std})`);
    this.data =
      data === "ring" ? ringOfGaussians(DATA_SIZE, { std }) : data === "spiral" ? spiral(DATA_SIZE) : data === "moons" ? twoMoons(DATA_SIZE) : pointsMixture(DATA_SIZE, points, { std });
    this.G = mlp([noiseDim, hidden, hidden, 2], seed);
    this.D = mlp([2 * pack, hidden, hidden, 1], seed + 10);
    this.optD = tf.train.adam(lrD, 0.5);
    this.optG = tf.train.adam(lrG, 0.5);
    this.stepCount = 0;
    this.draws = 0;
    this.losses.length = 0;
    this.lastD = this.lastG = NaN;
  }

  private disposePlayers(): void {
    tf.dispose([...this.G.variables, ...this.D.variables, this.data]);
    this.optD.dispose();
    this.optG.dispose();
  }

  /** A new Adam with another learning rate (its moments start again: a small jolt, like GAN Lab). */
  private replace(opt: tf.Optimizer, lr: number): tf.Optimizer {
    opt.dispose();
    return tf.train.adam(lr, 0.5);
  }

  /** D on points [B, 2], `pack` at a time: [B / pack, 1] logits. */
  private judge(points: tf.Tensor): tf.Tensor {
    return this.D.forward(tf.reshape(points, [-1, 2 * this.settings.pack]));
  }

  private noise(n: number, seed: number): tf.Tensor {
    return tf.randomNormal([n, this.settings.noiseDim], 0, 1, "float32", seed);
  }

  /** A seed per move, the same for the same game: a run replays exactly. */
  private seedFor(which: number): number {
    return 1000 * (this.settings.seed + 1) + 3 * this.draws + which + 1;
  }

  private record(): void {
    const last = this.losses[this.losses.length - 1];
    if (last?.step === this.stepCount) [last.d, last.g] = [this.lastD, this.lastG];
    else this.losses.push({ step: this.stepCount, d: this.lastD, g: this.lastG });
    if (this.losses.length > 2000) this.losses.splice(0, this.losses.length - 1000); // keep the chart's history bounded
  }
}
