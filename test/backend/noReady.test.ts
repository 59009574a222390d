/**
 * A plain Node script needs no `await ready()`: its first tensor op starts the wasm backend by
 * itself (synchronously, one thread), as a PyTorch script builds a module without awaiting
 * anything. Each case is a fresh Node process, since the backend starts once per process.
 * With STRIPES_THREADS > 1 the threaded module loads its workers asynchronously, so the first op
 * before `await ready()` is tfjs's one-line "not yet been initialized" error.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { distIsFresh } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
// The built files when fresh (as under `npm test`: a second a process), else the sources through ts-node.
const FROM = distIsFresh() ? "./dist" : "./src";

function script(code: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const { STRIPES_BACKEND: _b, STRIPES_THREADS: _t, ...base } = process.env;
  const args = FROM === "./src" ? ["-r", "ts-node/register/transpile-only", "-e", code] : ["-e", code];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...base, ...env }, encoding: "utf8", timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("a generator built and run before any await: computed on wasm", () => {
  const r = script(`
    const { ResNetGenerator } = require("${FROM}/models");
    const { backendName } = require("${FROM}/backend");
    const tf = require("@tensorflow/tfjs-core");
    const g = new ResNetGenerator(3, 3, 4, 1);
    const y = g.forward(tf.zeros([1, 3, 16, 16]));
    const grad = tf.grad((x) => x.square().sum())(tf.tensor([1, 2, 3]));
    console.log(JSON.stringify({ backend: backendName(), shape: y.shape, grad: Array.from(grad.dataSync()) }));
  `);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.is(out.backend, "wasm");
  assert.equal(out.shape, [1, 3, 16, 16]);
  assert.equal(out.grad, [2, 4, 6], "d/dx sum(x²) = 2x: core's gradients are registered");
});

test("STRIPES_BACKEND=cpu holds without ready() too", () => {
  const r = script(`
    const tf = require("@tensorflow/tfjs-core");
    const { backendName } = require("${FROM}/backend");
    const y = tf.ones([2]).sum().dataSync()[0];
    console.log([backendName(), y].join(" "));
  `, { STRIPES_BACKEND: "cpu" });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim().split("\n").pop(), "cpu 2");
});

test("with STRIPES_THREADS=2, an op before ready() is one line naming tf.ready(); after ready() it computes", () => {
  const before = script(`
    const tf = require("@tensorflow/tfjs-core");
    require("${FROM}/backend");
    try { tf.ones([2]).sum(); console.log("computed"); } catch (err) { console.log(err.message); }
  `, { STRIPES_THREADS: "2" });
  assert.is(before.status, 0, before.stderr);
  assert.match(before.stdout, /backend 'wasm' has not yet been initialized\. Make sure to await tf\.ready\(\)/);
  const after = script(`
    const tf = require("@tensorflow/tfjs-core");
    const { ready, threads } = require("${FROM}/backend");
    ready().then((name) => console.log([name, threads(), tf.ones([2]).sum().dataSync()[0]].join(" ")));
  `, { STRIPES_THREADS: "2" });
  assert.is(after.status, 0, after.stderr);
  assert.is(after.stdout.trim().split("\n").pop(), "wasm 2 2");
});

test.run();
