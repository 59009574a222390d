/**
 * Lesson 02's game and playground: the tensor count stays flat over 5,000 rounds (with frames,
 * setting changes and resets between), the controls change the game, the loop stops when paused
 * or when a run's rounds are done, and each view is a layer of the frame.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { ready } from "../../../src/backend";
import { GanGame } from "../../../src/lessons/ganGame/ganGame";
import { Playground } from "../../../src/lessons/ganGame/ganPlayground";
import sharp from "sharp";
import { renderFrame } from "../../../src/lessons/ganGame/ganView";

const s = suite("GAN game");
s.before(async () => {
  await ready();
});

s("5,000 rounds with snapshots and setting changes: the tensor count is the same after as after the first", () => {
  // small players: the count does not depend on their size, the run time does
  const game = new GanGame({ batch: 32, hidden: 16, noiseDim: 2, pack: 2 });
  game.step();
  game.snapshot();
  const start = tf.memory().numTensors;
  const counts: number[] = [];
  for (let i = 1; i <= 5000; i++) {
    game.step();
    if (i % 500 === 0) {
      game.snapshot();
      counts.push(tf.memory().numTensors);
      // a new learning rate makes a new Adam, whose moments appear at its first move
      game.set({ lrD: i % 1000 === 0 ? 1e-3 : 2e-3, loss: i % 1000 === 0 ? "minimax" : "least-squares" });
    }
  }
  assert.is(game.stepCount, 5001);
  assert.equal(counts, counts.map(() => start), `tensor counts every 500 rounds: ${counts} (start ${start})`);
  game.dispose();
});

s("a reset (new data, new pack) makes new players and frees the old ones", () => {
  const before = tf.memory().numTensors;
  const game = new GanGame({ batch: 32, hidden: 16 });
  game.step();
  const held = tf.memory().numTensors;
  game.set({ pack: 2 });
  game.set({ data: "moons" });
  game.set({ data: "points", points: [[0, 0], [1, 1]] });
  assert.is(game.stepCount, 0);
  game.step();
  assert.is(tf.memory().numTensors, held);
  game.dispose();
  assert.is(tf.memory().numTensors, before);
});

s("the same settings play the same game (seeded)", () => {
  const play = () => {
    const g = new GanGame({ batch: 32, hidden: 16 });
    for (let i = 0; i < 5; i++) g.step();
    const out = g.sample(4);
    g.dispose();
    return out;
  };
  assert.equal(play(), play());
});

s("D steps per G step: dSteps moves of D, then one of G, per round", () => {
  const game = new GanGame({ batch: 32, hidden: 16, dSteps: 3 });
  const d = game.stepD.bind(game);
  let moves = 0;
  game.stepD = () => (moves++, d());
  game.step();
  game.step();
  assert.is(moves, 6);
  assert.is(game.stepCount, 2);
  game.dispose();
});

s("G's gradient arrows are −∂L_G/∂x: a small step along them lowers G's loss", () => {
  const game = new GanGame({ batch: 64, hidden: 16 });
  for (let i = 0; i < 20; i++) game.step();
  const { arrows } = game.snapshot({ arrows: 32 });
  assert.is(arrows.length, 32);
  const judgeLoss = (pts: number[][]) => game.gLossOn(pts);
  const moved = arrows.map(({ from, push }) => [from[0] + 1e-2 * push[0], from[1] + 1e-2 * push[1]]);
  assert.ok(judgeLoss(moved) < judgeLoss(arrows.map((a) => a.from)), "moving along the arrows lowers L_G");
  game.dispose();
});

s("frames: each view is a layer, toggled on and off", () => {
  const game = new GanGame({ batch: 32, hidden: 16, noiseDim: 2 });
  const snap = game.snapshot();
  const none = renderFrame(snap, { views: { samples: false, surface: false, arrows: false, manifold: false, losses: false, coverage: false } });
  const all = renderFrame(snap, { views: { samples: true, surface: true, arrows: true, manifold: true, losses: true, coverage: true } });
  assert.not.match(none, /<circle|polyline|<line /);
  assert.match(all, /fill="#d7191c"/); // fakes
  assert.match(all, /stroke="#1a9641"/); // arrows
  assert.match(all, /stroke="#7b3294"/); // manifold
  assert.match(all, /modes covered: \d of 8 · \d+% near one/);
  assert.ok(all.length > 3 * none.length);
  game.dispose();
});

s("frames: marks outside the plot are clipped by a nested <svg>, with no page-wide ids for another frame to clash with", async () => {
  const game = new GanGame({ batch: 32, hidden: 16, noiseDim: 2 });
  const snap = game.snapshot();
  game.dispose();
  // coverage off: its circles count the fakes, which differ below
  const views = { samples: true, surface: true, arrows: true, manifold: true, losses: true, coverage: false };
  // everything G draws far outside the plot: over the title line and the loss chart if not clipped
  const far = ([x, y]: number[]) => [4 + Math.abs(x) * 5, 3.4 + Math.abs(y)];
  const outside = { ...snap, fake: snap.fake.map(far), manifold: snap.manifold.map((row) => row.map(far)), arrows: snap.arrows.map((a) => ({ from: far(a.from), push: a.push })) };
  const nothing = { ...snap, fake: [], manifold: [[]], arrows: [] };
  const svg = renderFrame(outside, { views });
  assert.not.match(svg, /\bid="|url\(#/, "no ids: two frames on one page (two views of a playground) cannot resolve each other's");
  const plot = svg.match(/<svg x="6" y="28" width="320" height="320" viewBox="6 28 320 320" overflow="hidden">(.*?)<\/svg>/);
  assert.ok(plot, "the plot's layers sit in a nested <svg> the size of the plot");
  assert.match(plot![1], /fill="#d7191c"/);
  assert.match(plot![1], /stroke="#7b3294"/);
  const pixels = async (frame: string) => (await sharp(Buffer.from(frame)).raw().toBuffer()).toString("base64");
  assert.ok((await pixels(svg)) === (await pixels(renderFrame(nothing, { views }))), "marks outside the plot draw nothing");
});

s("the loss chart after a spike: the y labels stay apart and the others keep their room", () => {
  const game = new GanGame({ batch: 32, hidden: 16 });
  const snap = game.snapshot();
  game.dispose();
  const labels = (losses: { step: number; d: number; g: number }[]) =>
    [...renderFrame({ ...snap, losses }).matchAll(/<text class="y-label" x="[\d.]+" y="([\d.]+)"[^>]*>([^<]+)<\/text>/g)].map((m) => ({ y: Number(m[1]), label: m[2] }));
  const calm = Array.from({ length: 300 }, (_, i) => ({ step: i + 1, d: 1.35 + 0.05 * Math.sin(i), g: 0.7 + 0.05 * Math.cos(i) }));
  const spike = calm.map((l, i) => (i === 150 ? { ...l, d: 30, g: 12 } : l));
  const high = calm.map((l) => ({ ...l, d: 25 + l.d, g: 20 + l.g })); // D's loss up at 25 for good: 0 to 2 ln 2 is a sliver
  for (const [name, losses] of [["calm", calm], ["one spike", spike], ["high for good", high]] as const) {
    const ys = labels(losses).map((l) => l.y).sort((a, b) => a - b);
    const closest = Math.min(...ys.slice(1).map((y, i) => y - ys[i]));
    assert.ok(closest >= 11, `${name}: labels ${JSON.stringify(labels(losses))} (font size 10) are ${closest} px apart`);
  }
  const at = (ls: { y: number; label: string }[], name: string) => ls.find((l) => l.label === name)?.y ?? NaN;
  const spiked = labels(spike);
  // one spike out of 300 rounds leaves the scale to the other 299: 2 ln 2 and ln 2 as far apart as without it
  assert.ok(at(spiked, "ln 2") - at(spiked, "2 ln 2") >= 0.9 * (at(labels(calm), "ln 2") - at(labels(calm), "2 ln 2")), JSON.stringify(spiked));
  assert.equal(spiked.slice(0, 3).map((l) => l.label), ["2 ln 2", "ln 2", "0"]);
  assert.match(renderFrame({ ...snap, losses: spike }), /peak 30\.0 ↑/);
});

const p = suite("GAN playground");
p.before(async () => {
  await ready();
});

p("run() plays exactly its rounds through the loop, then stops; the frame and step counter change", async () => {
  const pg = new Playground({ batch: 32, hidden: 16 });
  const first = pg.plot.value;
  const snap = await pg.run({ steps: 12, speed: 5 });
  assert.is(snap.step, 12);
  assert.is(pg.game.stepCount, 12);
  assert.not.ok(pg.playing);
  assert.ok(pg.frames >= 3, `${pg.frames} frames`);
  assert.match(pg.status.value, /^step 12 · paused/);
  assert.is.not(pg.plot.value, first);
  await new Promise((r) => setTimeout(r, 30));
  assert.is(pg.game.stepCount, 12, "nothing runs after the run");
  pg.dispose();
});

p("play, change a slider while playing, pause: the change reaches the game and the loop stops", async () => {
  const pg = new Playground({ batch: 32, hidden: 16 });
  pg.play();
  assert.ok(pg.playing);
  await new Promise((r) => setTimeout(r, 150));
  pg.lrD.value = 1e-2; // as a message from the slider would
  pg.loss.value = "minimax";
  await new Promise((r) => setTimeout(r, 100));
  pg.pause();
  const stopped = pg.game.stepCount;
  assert.ok(stopped > 0);
  assert.is(pg.game.settings.lrD, 1e-2);
  assert.is(pg.game.settings.loss, "minimax");
  await new Promise((r) => setTimeout(r, 60));
  assert.is(pg.game.stepCount, stopped);
  pg.pack.value = 2; // a reset: new players
  assert.is(pg.game.stepCount, 0);
  pg.stepButton.click();
  assert.is(pg.game.stepCount, 1);
  pg.stepGButton.click();
  assert.is(pg.game.stepCount, 2);
  pg.resetButton.click();
  assert.is(pg.game.stepCount, 0);
  pg.dispose();
});

p("while playing, the status line never says paused (not even between two frames)", async () => {
  const pg = new Playground({ batch: 32, hidden: 16 });
  const seen: string[] = [];
  pg.status.observe(({ new: now }) => seen.push(now as string), "value");
  pg.play();
  // wait for three frames, however slowly a loaded machine draws them (a fixed wait flaked at load 15)
  for (const until = Date.now() + 20_000; seen.length < 3 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
  const during = seen.length;
  pg.pause();
  assert.ok(during >= 3, `${during} status updates while playing`);
  assert.equal(seen.slice(0, during).filter((s) => /paused/.test(s)), []);
  assert.match(seen[seen.length - 1], /paused/);
  pg.dispose();
});

p("set() from code moves the controls too", () => {
  const pg = new Playground({ batch: 32, hidden: 16 });
  pg.set({ pack: 3, lrG: 3e-4, data: "spiral" });
  assert.is(pg.pack.value, 3);
  assert.is(pg.lrG.value, 3e-4);
  assert.is(pg.data.value, "spiral");
  assert.is(pg.game.settings.pack, 3);
  pg.dispose();
});

p("the lr sliders: three decades on a track as wide as the plot, and a short readout", () => {
  const pg = new Playground({ batch: 32, hidden: 16 });
  // ipywidgets formats the readout with d3-format (vega's copy here)
  const { format } = require("d3-format") as typeof import("d3-format");
  for (const slider of [pg.lrD, pg.lrG]) {
    assert.equal([slider.min, slider.max, slider.step, slider.layout.width], [-4, -1, 0.1, "580px"]);
    assert.equal([1e-3, 10 ** -2.9, 3e-3, 0.1].map(format(slider.readoutFormat)), ["1e-3", "1.3e-3", "3e-3", "1e-1"]);
  }
  pg.dispose();
});

s.run();
p.run();

const e = suite("GAN game: a learner's bad setting");
e("points that are not [x, y] pairs, or a noise dimension below 2: a one-line LessonError, and the game plays on", async () => {
  const { LessonError } = await import("../../../src/lessons/shared/errors");
  const game = new GanGame({ batch: 32, hidden: 16 });
  assert.throws(() => game.set({ data: "points", points: [[1, 2, 3]] as any }), (err: Error) => err instanceof LessonError && /^points must be a non-empty list of \[x, y\] pairs/.test(err.message) && !err.message.includes("\n"));
  assert.is(game.settings.data, "ring");
  game.step(); // still plays
  assert.is(game.stepCount, 1);
  game.dispose();
  const pg = new Playground({ batch: 32, hidden: 16 });
  assert.throws(() => pg.set({ noiseDim: 1 }), /^noiseDim must be an integer of at least 2 \(got 1\)$/);
  // from a control, the message goes to the status line instead of throwing into the kernel
  pg.game.settings.points = [[1, 2, 3]] as any;
  pg.data.value = "points";
  assert.match(pg.status.value, /^✗ points must be a non-empty list/);
  assert.is(pg.game.settings.data, "ring");
  assert.is(pg.data.value, "ring", "the dropdown shows the game's data again");
  pg.dispose();
});
e.run();
