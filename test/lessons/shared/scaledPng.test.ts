/** scaledPng: every source pixel becomes a scale × scale square of its colour, read back by sharp (libpng). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import sharp from "sharp";
import { scaledPng } from "../../../src/lessons/shared/scaledPng";

test("a 3 × 2 picture at scale 3: a 9 × 6 PNG of 3 × 3 squares", async () => {
  const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  const { data, info } = await sharp(scaledPng(rgb, 3, 2, 3)).raw().toBuffer({ resolveWithObject: true });
  assert.equal([info.width, info.height, info.channels], [9, 6, 3]);
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 9; x++) {
      const from = (Math.floor(y / 3) * 3 + Math.floor(x / 3)) * 3;
      assert.equal([...data.subarray((y * 9 + x) * 3, (y * 9 + x) * 3 + 3)], [...rgb.subarray(from, from + 3)], `pixel ${x},${y}`);
    }
  }
});

test("scale 1: the pixels as they are", async () => {
  const rgb = new Uint8Array([1, 2, 3, 4, 5, 6]);
  const { data, info } = await sharp(scaledPng(rgb, 2, 1, 1)).raw().toBuffer({ resolveWithObject: true });
  assert.equal([info.width, info.height], [2, 1]);
  assert.equal([...data], [...rgb]);
});

test.run();
