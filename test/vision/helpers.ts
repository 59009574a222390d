/**
 * Shared by the vision tests: fixture images and pixel comparisons in grey levels.
 */
import { Image } from "../../src/vision/image";
import { fixturePath, readArray, readManifest } from "../helpers/fixtures";

export const AREA = "vision";
export const manifest = readManifest(AREA);

const opened = new Map<string, Promise<Image>>();
/** A source image of scripts/fixtures/vision.py, opened once. */
export function source(file: string): Promise<Image> {
  if (!opened.has(file)) opened.set(file, Image.open(fixturePath(AREA, file)));
  return opened.get(file)!;
}

export function expected(name: string) {
  return readArray(AREA, name);
}

/** How many values differ and by how many grey levels at most (inputs in levels or in [0, 1]). */
export function levelDiff(got: ArrayLike<number>, want: ArrayLike<number>, scale = 1): { differing: number; maxLevels: number } {
  if (got.length !== want.length) throw new Error(`length ${got.length} vs ${want.length}`);
  let differing = 0;
  let maxLevels = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - want[i]) * scale;
    if (d > 0) differing++;
    if (d > maxLevels) maxLevels = d;
  }
  return { differing, maxLevels };
}
