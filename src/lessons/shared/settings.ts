/**
 * @file lessonSettings(): what a lesson may be told from outside its cells — its own weights and
 * photo instead of the article's, and a short run for tests and slow machines. In Node they are
 * the environment of the kernel (STRIPES_WEIGHTS, STRIPES_IMAGE, STRIPES_FAST=1, STRIPES_PRETRAINED=1); the browser
 * bundle replaces this file with settings.browser.ts, which reads the room's stripes-room.json.
 * One call in a lesson's first cell, so the notebook itself never asks where it runs.
 */
export interface LessonSettings {
  /** Lesson 01's generator weights: a file path (Node) or URL (room); absent: the article's, fetched. */
  weights?: string;
  /** Lesson 01's photo, the same way. */
  image?: string;
  /** Run a few steps per experiment only. */
  fast: boolean;
  /** Lesson 03: load the generators shipped in data/lesson03/ instead of training a pair. */
  pretrained: boolean;
  /** Where the kernel runs: "node" (the Jupyter kernel) or "browser" (the room). */
  runtime: "node" | "browser";
}

export async function lessonSettings(): Promise<LessonSettings> {
  const env = process.env;
  return { weights: env.STRIPES_WEIGHTS || undefined, image: env.STRIPES_IMAGE || undefined, fast: env.STRIPES_FAST === "1", pretrained: env.STRIPES_PRETRAINED === "1", runtime: "node" };
}
