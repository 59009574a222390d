/**
 * @file Which TensorFlow.js backend stripes computes on, and with how many threads.
 *
 * - policy.ts: the choice (`ready()`, `useBackend()`), the same everywhere;
 * - environment.ts / environment.browser.ts: what Node and a browser offer, in which order;
 * - wasm.ts / wasm.browser.ts: starting tfjs-backend-wasm's module there;
 * - inference.ts: a large forward pass on the inference backend (all cores) when there is one.
 * The browser bundle swaps each `X.ts` for its `X.browser.ts` sibling (scripts/build-browser.js).
 */
export { ready, useBackend, backendName, threads, inferenceThreads, backendSummary, BACKENDS } from "./policy";
export { onInferenceBackend } from "./inference";
export { BackendError } from "./errors";
export { requestedThreads } from "./environment";
export type { BackendName } from "./types";
