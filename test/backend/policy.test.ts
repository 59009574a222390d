import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs-core";
import { ready, useBackend, backendName, BackendError } from "../../src/backend";
import { StripesError } from "../../src/errors";

test("ready() picks an available backend and reports it", async () => {
  const name = await ready();
  assert.ok(["tensorflow", "wasm", "cpu"].includes(name));
  assert.is(backendName(), name);
  assert.is(tf.getBackend(), name);
});

test("useBackend switches to cpu and back to wasm", async () => {
  assert.is(await useBackend("cpu"), "cpu");
  assert.is(tf.getBackend(), "cpu");
  assert.is(await useBackend("wasm"), "wasm");
  assert.is(tf.getBackend(), "wasm");
});

test("an unknown STRIPES_BACKEND is one clear line", async () => {
  try {
    await useBackend("gpu" as any);
    assert.unreachable("should have thrown");
  } catch (err) {
    assert.match((err as Error).message, /STRIPES_BACKEND=gpu: unknown backend/);
    assert.instance(err, StripesError, "a user's mistake: the CLI prints the line, no stack trace");
    assert.instance(err, BackendError, "the backend area's own class");
  }
  // The failed switch leaves the working backend in place for everything after it.
  assert.is(await ready(), "wasm");
  assert.is(tf.getBackend(), "wasm");
});

test.run();
