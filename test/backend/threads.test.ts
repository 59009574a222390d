/**
 * The threaded wasm build (STRIPES_THREADS=2): the generator's forward pass and its gradients,
 * and the conv/transposed-conv/padding gradients, equal PyTorch's there too. The existing tests
 * run in a child process, since a process picks its backend and thread count once; the child
 * must also exit by itself (its pthreads are unref'd).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..");
const uvu = path.join(root, "node_modules", "uvu", "bin.js");
const run = (args: string[]) =>
  spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, STRIPES_THREADS: "2", STRIPES_BACKEND: "" },
    encoding: "utf8",
    timeout: 600_000,
  });

test("STRIPES_THREADS=2 gives the threaded wasm backend with 2 threads, and Node exits by itself", () => {
  const child = run(["-r", "ts-node/register", "-e", `require("./src/backend").ready().then(() => console.log(require("./src/backend").backendSummary()))`]);
  assert.is(child.status, 0, child.stderr);
  assert.is(child.stdout.trim(), "wasm, 2 threads");
});

test("forward and gradients on the threaded build equal PyTorch's (models/, kernels/gradients)", () => {
  const child = run([uvu, "test", "(models/resnetGenerator|models/gradients|kernels/gradients)\\.test\\.ts$", "-r", "ts-node/register"]);
  const plain = (child.stdout + child.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  assert.is(child.status, 0, plain.slice(-3000));
  assert.match(plain, /Passed:\s+[1-9]/);
  assert.not.match(plain, /Skipped:\s+[1-9]/);
});

test("a bad STRIPES_THREADS is one line naming it", () => {
  const child = spawnSync(process.execPath, ["-r", "ts-node/register", "-e", `require("./src/backend").ready().catch((e) => { console.log(e.name + ": " + e.message); })`], {
    cwd: root,
    env: { ...process.env, STRIPES_THREADS: "many" },
    encoding: "utf8",
  });
  assert.match(child.stdout.trim(), /^BackendError: STRIPES_THREADS=many: choose a whole number of threads from 1 to 8/);
});

test.run();
