/**
 * @file The GAN game as a playground (lesson 02), on widgets, after GAN Lab: a step function (the
 * game, src/lessons/ganGame/ganGame.ts), a draw function (src/lessons/ganGame/ganView.ts) and controls.
 *
 * Training runs on a timer in the kernel: each tick plays `speed` rounds, redraws, and yields
 * (setTimeout 0), so the cell has returned and the kernel handles the sliders' messages between
 * ticks. `run({ steps, ...settings })` plays a fixed number of rounds through the same loop and
 * resolves when they are done: the lesson's experiments use it, and a headless run (nbconvert,
 * `stripes-gan run`, CI: nobody presses a button) plays exactly that schedule and ends by itself.
 *
 * Example (a notebook cell):
 *   const pg = new Playground({ data: "ring" });
 *   pg                                   // shows the controls and the plot
 *   await pg.run({ steps: 2000, pack: 1 });
 */
import { inspect } from "node:util";
import { Button, Checkbox, Dropdown, FloatLogSlider, HBox, HTML, IntSlider, VBox, type Widget } from "../../notebook/widgets";
import { firstLine } from "../../errors";
import { display } from "../../notebook/display";
import { DATA_NAMES, GanGame, type GameSettings, type OwnLosses, type Snapshot } from "./ganGame";
import { LOSS_NAMES } from "./ganLosses";
import { DEFAULT_VIEWS, framePng, renderFrame, VIEW_NAMES, type Views } from "./ganView";

/** Rounds per frame stop after this long (wall time): with the drawing, ≥ 4 frames/s even on a busy machine. */
const FRAME_BUDGET_MS = 120;

/** The learning-rate sliders' width: about the plot's (588 px with the side panel). */
export const LR_SLIDER_WIDTH = "580px";

export interface RunOptions extends Partial<GameSettings> {
  /** Rounds to play (each: dSteps moves of D, one of G). */
  steps: number;
  /** Rounds per frame while this run plays (default: the speed slider's). */
  speed?: number;
  /** New players before playing (the settings above apply either way). */
  reset?: boolean;
}

/**
 * A picture that shows itself as a cell's output (tslab's `_repr_png_`, or the Jupyter.display
 * bundle): PNG where it could be rasterised (Node), else its SVG (the room's worker).
 */
export class Picture {
  constructor(readonly png: Uint8Array | undefined, readonly svg: string) {}
  _repr_png_(): Uint8Array | undefined {
    return this.png;
  }
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    if (this.png === undefined) return { "image/svg+xml": this.svg, "text/plain": `Picture(SVG, ${this.svg.length} characters)` };
    return { "image/png": Buffer.from(this.png).toString("base64"), "text/plain": `Picture(${this.png.length} bytes)` };
  }
}

export class Playground {
  readonly game: GanGame;
  views: Views;
  /** Frames drawn since the last play; their times, for the frame rate. */
  frames = 0;
  private frameTimes: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private target: { steps: number; done: () => void } | undefined;
  private settingFromCode = false;

  readonly plot = new HTML({ value: "" });
  readonly status = new HTML({ value: "" });
  readonly playButton = new Button({ description: "▶ play" });
  readonly pauseButton = new Button({ description: "pause" });
  readonly stepDButton = new Button({ description: "step D" });
  readonly stepGButton = new Button({ description: "step G" });
  readonly stepButton = new Button({ description: "step both" });
  readonly resetButton = new Button({ description: "reset" });
  readonly lrD: FloatLogSlider;
  readonly lrG: FloatLogSlider;
  readonly loss: Dropdown<string>;
  readonly dSteps: IntSlider;
  readonly pack: IntSlider;
  readonly data: Dropdown<string>;
  readonly noiseDim: IntSlider;
  readonly speed = new IntSlider({ value: 5, min: 1, max: 50, description: "speed" });
  readonly viewBoxes: Record<keyof Views, Checkbox>;
  readonly widget: VBox;

  constructor(settings: Partial<GameSettings> = {}, { views = {}, own = {} }: { views?: Partial<Views>; own?: OwnLosses } = {}) {
    this.game = new GanGame(settings, own);
    this.views = { ...DEFAULT_VIEWS, ...views };
    const s = this.game.settings;
    // Three decades on a wide track (under the plot, as wide as it): ~130 px per decade, where the
    // default 300 px slider left ~30 and a 40 px drag multiplied the rate by 20. Readout "1.3e-3".
    const lr = { min: -4, max: -1, base: 10, step: 0.1, readoutFormat: ".1~e", layout: { width: LR_SLIDER_WIDTH } };
    this.lrD = new FloatLogSlider({ value: s.lrD, description: "lr D", ...lr });
    this.lrG = new FloatLogSlider({ value: s.lrG, description: "lr G", ...lr });
    this.loss = new Dropdown({ options: LOSS_NAMES, value: s.loss, description: "loss" });
    this.dSteps = new IntSlider({ value: s.dSteps, min: 1, max: 5, description: "D steps / G" });
    this.pack = new IntSlider({ value: s.pack, min: 1, max: 4, description: "pack" });
    this.data = new Dropdown({ options: DATA_NAMES, value: s.data, description: "data" });
    this.noiseDim = new IntSlider({ value: s.noiseDim, min: 2, max: 16, description: "noise dim" });
    this.viewBoxes = Object.fromEntries(VIEW_NAMES.map((k) => [k, new Checkbox({ value: this.views[k], description: k === "arrows" ? "G's gradients" : k === "manifold" ? "G's manifold" : k })])) as Record<keyof Views, Checkbox>;

    this.playButton.onClick(() => this.play());
    this.pauseButton.onClick(() => this.pause());
    this.stepDButton.onClick(() => this.move(() => this.game.stepD()));
    this.stepGButton.onClick(() => this.move(() => this.game.stepG()));
    this.stepButton.onClick(() => this.move(() => this.game.step()));
    this.resetButton.onClick(() => this.move(() => this.game.reset()));
    const bind = (w: Widget & { value: any }, key: keyof GameSettings) =>
      w.observe(({ new: value }) => {
        if (!this.settingFromCode) this.move(() => this.game.set({ [key]: value }));
      }, "value");
    bind(this.lrD, "lrD");
    bind(this.lrG, "lrG");
    bind(this.loss, "loss");
    bind(this.dSteps, "dSteps");
    bind(this.pack, "pack");
    bind(this.data, "data");
    bind(this.noiseDim, "noiseDim");
    for (const k of VIEW_NAMES) this.viewBoxes[k].observe(({ new: on }) => { this.views[k] = on; this.draw(); }, "value");

    this.widget = new VBox([
      new HBox([this.playButton, this.pauseButton, this.stepDButton, this.stepGButton, this.stepButton, this.resetButton]),
      new HBox([new VBox([this.plot, this.lrD, this.lrG]), new VBox([this.loss, this.dSteps, this.pack, this.data, this.noiseDim, this.speed])]),
      new HBox(VIEW_NAMES.slice(0, 3).map((k) => this.viewBoxes[k])),
      new HBox(VIEW_NAMES.slice(3).map((k) => this.viewBoxes[k])),
      this.status,
    ]);
    this.draw();
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  /** Starts the loop (returns at once; the rounds run between kernel messages). */
  play(): void {
    if (this.timer !== undefined) return;
    this.frames = 0;
    this.frameTimes = [];
    this.timer = setTimeout(this.tick, 0);
    this.showStatus();
  }

  /** Stops the loop after the current frame. */
  pause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const t = this.target;
    this.target = undefined;
    this.showStatus();
    t?.done();
  }

  /** Changes settings as the controls would, and shows them on the controls. */
  set(change: Partial<GameSettings>): void {
    this.game.set(change);
    this.syncControls();
    this.draw();
  }

  /** The controls show the game's settings (after code changed them, or a bad value was refused). */
  private syncControls(): void {
    this.settingFromCode = true;
    try {
      const s = this.game.settings;
      [this.lrD.value, this.lrG.value, this.loss.value, this.dSteps.value, this.pack.value, this.data.value, this.noiseDim.value] = [s.lrD, s.lrG, s.loss, s.dSteps, s.pack, s.data, s.noiseDim];
    } finally {
      this.settingFromCode = false;
    }
  }

  /**
   * Plays `steps` rounds with the given settings through the timer loop and resolves when they
   * are done (or when paused): the lesson's experiments and the headless schedule.
   */
  run({ steps, speed, reset = false, ...settings }: RunOptions): Promise<Snapshot> {
    this.pause();
    if (Object.keys(settings).length > 0) this.set(settings);
    if (reset && this.game.stepCount > 0) this.game.reset();
    if (speed !== undefined) this.speed.value = speed;
    return new Promise((resolve) => {
      this.target = { steps: this.game.stepCount + steps, done: () => resolve(this.game.snapshot()) };
      this.play();
    });
  }

  /** The current frame as a PNG picture (a cell's output in any front end, and in headless runs). */
  async picture(): Promise<Picture> {
    const svg = this.frame();
    return new Picture(await framePng(svg), svg);
  }

  /** The current frame's SVG. */
  frame(): string {
    return renderFrame(this.game.snapshot(), { views: this.views });
  }

  /** Frames per second over the last few frames while playing. */
  get fps(): number {
    const t = this.frameTimes;
    return t.length < 2 ? NaN : (1000 * (t.length - 1)) / (t[t.length - 1] - t[0]);
  }

  /** Shows the playground (what a cell's last value does too). */
  show(): void {
    display(this.widget);
  }

  [Symbol.for("Jupyter.display")](): Record<string, unknown> {
    return (this.widget as any)[Symbol.for("Jupyter.display")]();
  }

  /** One line (a kernel without widgets prints the cell's value with util.inspect). */
  [inspect.custom](): string {
    return `Playground(step ${this.game.stepCount}, ${this.playing ? "playing" : "paused"})`;
  }

  /** Stops the loop, closes the widgets and frees the game's tensors. */
  dispose(): void {
    this.pause();
    this.widget.close();
    this.game.dispose();
  }

  private tick = (): void => {
    // `timer` keeps the fired timer's id until the next one is set, so that `playing` stays true
    // for the whole frame: the status line says "playing" throughout, never "paused" for a moment
    // between frames (a page that reads it then would see a flicker)
    const target = this.target;
    // at most FRAME_BUDGET_MS of rounds per frame, so the picture keeps moving at any speed
    const started = performance.now();
    for (let i = 0; i < this.speed.value && !(target && this.game.stepCount >= target.steps) && performance.now() - started < FRAME_BUDGET_MS; i++) this.game.step();
    this.plot.value = this.frame();
    this.frames++;
    this.frameTimes.push(performance.now());
    if (this.frameTimes.length > 20) this.frameTimes.shift();
    if (target && this.game.stepCount >= target.steps) return this.pause();
    this.timer = setTimeout(this.tick, 0); // yield: comm messages (sliders, pause) are handled here
    this.showStatus();
  };

  /** A single move from a button or a control: applied, then drawn. */
  private move(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // a control's callback must not throw into the kernel: say it where the learner looks
      this.syncControls();
      this.status.value = `✗ ${firstLine(err)}`;
      return;
    }
    this.draw();
  }

  private draw(): void {
    this.plot.value = this.frame();
    this.showStatus();
  }

  private showStatus(): void {
    const fps = this.fps;
    this.status.value = `step ${this.game.stepCount}${this.playing ? ` · playing, ${Number.isFinite(fps) ? fps.toFixed(1) : "…"} frames/s` : " · paused"}`;
  }
}
