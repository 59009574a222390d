/**
 * @file lessonSettings() in the browser bundle (replaces settings.ts): the room's settings file,
 * stripes-room.json beside the bundle (`room build` writes it from its STRIPES_* environment), its
 * file names made absolute against that file. A room built without the article's files (no
 * `stripes-gan fetch` on the instructor's machine) names them at the book's repository instead:
 * lesson 01 then reads them over the learner's internet, as the browser allows it (the repository
 * answers with CORS; `room build` tells the instructor). A page without a settings file (the library on some other site)
 * gets no files and full runs.
 */
import { ARTICLE_FILES, BOOK_BASE_URL } from "../../fetch/fetch";
import { LessonError } from "./errors";
import type { LessonSettings } from "./settings";

export type { LessonSettings } from "./settings";

/** The bundle's own address, which scripts/build-browser.js puts in its banner (`import.meta.url`). */
declare const __stripesBundleUrl: string | undefined;

const SETTINGS_FILE = "stripes-room.json";

let settings: Promise<LessonSettings> | undefined;

async function read(): Promise<LessonSettings> {
  const none: LessonSettings = { fast: false, pretrained: false, runtime: "browser" };
  if (typeof __stripesBundleUrl !== "string") return none;
  const url = new URL(SETTINGS_FILE, __stripesBundleUrl).href;
  const response = await fetch(url).catch(() => undefined);
  if (!response?.ok) return none;
  const json = (await response.json().catch(() => {
    throw new LessonError(`${url}: not JSON (rebuild the room with stripes-gan room build)`);
  })) as { weights?: string; image?: string; fast?: boolean; pretrained?: boolean };
  const file = (name: string | undefined, key: keyof typeof ARTICLE_FILES) => {
    if (name) return new URL(name, url).href;
    return BOOK_BASE_URL + ARTICLE_FILES[key].name;
  };
  return { weights: file(json.weights, "weights"), image: file(json.image, "image"), fast: json.fast === true, pretrained: json.pretrained === true, runtime: "browser" };
}

export function lessonSettings(): Promise<LessonSettings> {
  settings ??= read();
  return settings;
}
