import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tempPathFor, writeFileAtomic, writeProblem } from "../src/atomicWrite";

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

const failure = (path: string) => {
  try {
    writeFileAtomic(path, "x");
  } catch (err) {
    return err;
  }
  throw new Error(`${path}: the write did not fail`);
};

test("writeProblem: why a write failed, in words, with no temporary name in it", () => {
  assert.is(writeProblem(failure(join(dir, "no", "such", "folder", "f.txt"))), "no such folder");
  assert.is(writeProblem(failure(join(dir, "a.bin", "under-a-file.txt"))), "no such folder"); // ENOTDIR
  mkdirSync(join(dir, "taken"));
  assert.is(writeProblem(failure(join(dir, "taken"))), "a folder has that name");
  // Codes without words of their own, and an encoder's message naming the temporary file.
  assert.is(writeProblem(Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" })), "EIO");
  const tmp = tempPathFor(join(dir, "zebra.png"));
  assert.is(writeProblem(new Error(`${tmp}: VipsForeignSave: bad\n  parameters`), tmp), "VipsForeignSave: bad parameters");
});

test.run();
