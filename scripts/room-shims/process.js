// `process` for the room's Web Worker bundle: the few reads of it in code shared with Node
// (tslab's converter reads the Node version to pick its target; the tensor walk skips `process`)
// get a stand-in. No nextTick: TypeScript then does not take the worker for Node.
export const process = { env: {}, version: "v20.0.0", versions: {}, browser: true, platform: "browser" };
