/**
 * The synchronous PNG encoder used for notebook display: sharp (libspng) decodes what it writes
 * back to the same pixels, for every mode.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import sharp from "sharp";
import { encodePng } from "../../src/vision/png";
import { Image } from "../../src/vision/image";
import { source } from "./helpers";

const Png = suite("encodePng");

for (const [file, mode] of [["l_75x50.png", "L"], ["la_33x21.png", "LA"], ["rgb_61x97.png", "RGB"], ["rgba_19x13.png", "RGBA"]] as const) {
  Png(`${mode} decodes back to the same pixels`, async () => {
    const img = await source(file);
    const png = encodePng(img.data, img.width, img.height, img.channels);
    assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const back = await Image.open(png);
    assert.is(back.mode, mode);
    assert.equal(back.data, img.data);
    const meta = await sharp(png).metadata();
    assert.equal([meta.width, meta.height, meta.channels], [img.width, img.height, img.channels]);
  });
}

Png.run();
