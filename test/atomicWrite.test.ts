import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tempPathFor, writeFileAtomic } from "../src/atomicWrite";

const dir = mkdtempSync(join(tmpdir(), "stripes-atomic-"));

test("writes the bytes and leaves no temporary file", () => {
  const file = join(dir, "a.bin");
  writeFileAtomic(file, new Uint8Array([1, 2, 3]));
  assert.equal([...readFileSync(file)], [1, 2, 3]);
  assert.equal(readdirSync(dir), ["a.bin"]);
});

test("a failed rename leaves the target as it was and no temporary file", () => {
  const target = join(dir, "folder");
  mkdirSync(target);
  writeFileSync(join(target, "inside"), "kept");
  assert.throws(() => writeFileAtomic(target, "new"), (err: NodeJS.ErrnoException) => typeof err.code === "string");
  assert.equal(readdirSync(dir).sort(), ["a.bin", "folder"]);
  assert.is(readFileSync(join(target, "inside"), "utf8"), "kept");
});

test("temporary names sit beside the target, hidden, and differ per call", () => {
  const a = tempPathFor(join(dir, "x.png"));
  const b = tempPathFor(join(dir, "x.png"));
  assert.ok(a.startsWith(join(dir, ".x.png.")) && a.endsWith(".tmp"), a);
  assert.is.not(a, b);
});

test.run();
