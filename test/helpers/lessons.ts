/** @file The environment the lessons run in under test. */
import { fixturePath } from "./fixtures";

/** Offline: fixture files in, an empty cache and an unreachable download address. */
export function lessonEnv(cache: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _, ...env } = process.env; // uvu sets it; the kernel would colour printed values
  return {
    ...env,
    STRIPES_WEIGHTS: fixturePath("notebook", "generator.pth"),
    STRIPES_IMAGE: fixturePath("notebook", "meadow.png"),
    STRIPES_CACHE: cache,
    STRIPES_FETCH_BASE: "http://127.0.0.1:9/",
    STRIPES_FAST: "1", // lessons that train take few steps under test
    ...extra,
  };
}
