// Injected into every module of the browser bundle (scripts/build-browser.js): Node's `Buffer` and
// `process`, which torch/ and vision/ use for latin1 strings and the environment.
export { Buffer } from "buffer";
export const process = globalThis.process ?? { env: {}, platform: "browser", versions: {}, listeners: () => [], on() {}, removeListener() {}, cwd: () => "/" };
