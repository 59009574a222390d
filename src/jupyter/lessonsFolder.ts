/**
 * @file A learner's lessons folder, written from the installed package (`stripes-gan lessons
 * [dir]`): every lesson notebook in its exercise version (blank answers, no outputs), so that
 * lessons can be taken from any folder, with no clone of the repository.
 *
 * The notebooks need no data beside them: the exercises' PyTorch cases and lesson 03's fallback
 * generators ship inside the package (data/) and are read from there, and lesson 01's article
 * files are downloaded into the per-user cache (the command's `fetch` step, or the lesson's first
 * cell). A notebook already in the folder (the learner's answers) is never overwritten unless
 * asked, and nothing is written when one is in the way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { NotebookError } from "./errors";
import { exerciseNotebook } from "./exerciseVersion";
import { readNotebook, writeNotebook } from "./nbformat";

/** The package's lesson notebooks (solution versions): notebooks/ at the package root. */
export function packagedLessons(notebooksDir = path.join(__dirname, "..", "..", "notebooks")): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(notebooksDir).filter((f) => /^\d\d-.*\.ipynb$/.test(f));
  } catch {
    names = [];
  }
  if (names.length === 0) throw new NotebookError(`${notebooksDir}: no lesson notebooks in this copy of stripes-gan (reinstall it)`);
  return names.sort().map((n) => path.join(notebooksDir, n));
}

/** Writes the exercise version of every lesson into `dir` (made if missing); returns the files written. */
export function writeLessonsFolder(dir: string, options: { force?: boolean; notebooksDir?: string } = {}): string[] {
  if (dir.trim() === "") throw new NotebookError("lessons: empty folder name");
  const sources = packagedLessons(options.notebooksDir);
  const targets = sources.map((s) => path.join(dir, path.basename(s)));
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new NotebookError(`${dir}: not a folder`);
  if (!options.force) {
    const there = targets.filter((t) => fs.existsSync(t));
    if (there.length > 0) {
      throw new NotebookError(`${there[0]} already exists (your answers?): choose another folder, or pass --force to replace ${there.length === 1 ? "it" : `all ${there.length}`}`);
    }
  }
  const notebooks = sources.map((s) => exerciseNotebook(readNotebook(s))); // all read before any is written
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new NotebookError(`${dir}: cannot make the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  targets.forEach((t, i) => writeNotebook(t, notebooks[i]));
  return targets;
}
