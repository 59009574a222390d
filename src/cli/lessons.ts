/**
 * @file `stripes-gan lessons [dir]`: the lessons, ready to take, in a folder of the learner's own
 * (default ./stripes-lessons): every lesson notebook with blank answers, then lesson 01's article
 * files downloaded into the cache (skipped with --no-fetch, e.g. offline; the lesson's first cell
 * downloads them otherwise). Prints each notebook's path on stdout.
 *
 *   --force      replace notebooks already in the folder (the learner's answers are lost)
 *   --no-fetch   do not download the article's files now
 *   -q, --quiet  no progress output
 */
import type { Command } from "commander";
import { ARTICLE_FILES, baseUrl, cacheDir, fetchFile } from "../fetch/fetch";
import { writeLessonsFolder } from "../jupyter/lessonsFolder";
import { downloadProgress } from "./downloadProgress";

export function register(program: Command): void {
  program
    .command("lessons")
    .description("write the lesson notebooks (blank answers) into a folder of your own, and download lesson 01's files")
    .argument("[dir]", "the folder (made if missing)", "stripes-lessons")
    .option("--force", "replace notebooks already in the folder", false)
    .option("--no-fetch", "do not download the article's weights and photo now")
    .option("-q, --quiet", "no progress output", false)
    .action(async (dir: string, opts: { force: boolean; fetch: boolean; quiet: boolean }) => {
      for (const file of writeLessonsFolder(dir, { force: opts.force })) process.stdout.write(file + "\n");
      if (!opts.fetch) return;
      const onEvent = downloadProgress({ quiet: opts.quiet, sayCached: !opts.quiet });
      for (const file of Object.values(ARTICLE_FILES)) await fetchFile(file, { dir: cacheDir(), base: baseUrl(), onEvent });
    });
}
