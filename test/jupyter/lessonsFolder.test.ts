/**
 * `stripes-gan lessons [dir]`: the learner's folder gets every lesson notebook in its exercise
 * version (the same as exerciseNotebook of the package's notebooks/), and a notebook already
 * there (the learner's answers) is never replaced without --force, nor is anything written then.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packagedLessons, writeLessonsFolder } from "../../src/jupyter/lessonsFolder";
import { exerciseNotebook } from "../../src/jupyter/exerciseVersion";
import { readNotebook, serializeNotebook } from "../../src/jupyter/nbformat";
import { NotebookError } from "../../src/jupyter/errors";
import { cli } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "stripes-lessons-"));

test("every notebook in notebooks/, as its exercise version, with the same file name", () => {
  const dir = path.join(scratch(), "my lessons");
  try {
    const written = writeLessonsFolder(dir);
    const sources = fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
    assert.equal(written.map((f) => path.basename(f)), sources);
    assert.equal(packagedLessons().map((f) => path.basename(f)), sources);
    for (const name of sources) {
      const expected = serializeNotebook(exerciseNotebook(readNotebook(path.join(ROOT, "notebooks", name))));
      assert.is(fs.readFileSync(path.join(dir, name), "utf8"), expected, name);
      assert.not.match(fs.readFileSync(path.join(dir, name), "utf8"), /BEGIN SOLUTION/, `${name}: no solutions left`);
    }
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test("a notebook already there: one line, nothing written; --force replaces", () => {
  const dir = scratch();
  try {
    const answers = path.join(dir, "02-the-gan-game.ipynb");
    fs.writeFileSync(answers, "my answers");
    try {
      writeLessonsFolder(dir);
      assert.unreachable("should have thrown");
    } catch (err) {
      assert.instance(err, NotebookError);
      assert.is((err as Error).message, `${answers} already exists (your answers?): choose another folder, or pass --force to replace it`);
    }
    assert.equal(fs.readdirSync(dir), ["02-the-gan-game.ipynb"], "no other notebook was written");
    assert.is(fs.readFileSync(answers, "utf8"), "my answers");
    writeLessonsFolder(dir, { force: true });
    assert.match(fs.readFileSync(answers, "utf8"), /"nbformat"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the command: the notebooks' paths on stdout; a file in the way is one line, exit 1", () => {
  const dir = scratch();
  try {
    const target = path.join(dir, "lessons");
    const r = cli("lessons", target, "--no-fetch");
    assert.is(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n"), packagedLessons().map((f) => path.join(target, path.basename(f))));
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "");
    const bad = cli("lessons", file, "--no-fetch");
    assert.is(bad.status, 1);
    assert.is(bad.stderr, `stripes: ${file}: not a folder\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
