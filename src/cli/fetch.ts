/**
 * @file `stripes-gan fetch`: downloads the article's checkpoint and photo into the cache and
 * verifies them. Prints each file's path on stdout; progress goes to stderr (a bar on a
 * terminal, plain lines otherwise).
 *
 *   --dir <folder>   the cache folder        (default: STRIPES_CACHE or the per-user cache)
 *   --base <url>     where to download from  (default: STRIPES_FETCH_BASE or the book's repository)
 *   -q, --quiet      no progress output
 */
import type { Command } from "commander";
import { ARTICLE_FILES, baseUrl, cacheDir, fetchFile } from "../fetch/fetch";
import { downloadProgress } from "./downloadProgress";

export function register(program: Command): void {
  program
    .command("fetch")
    .description("download the article's weights (horse2zebra_0.4.0.pth) and photo (horse.jpg), verified by git SHA-1")
    .option("--dir <folder>", "cache folder (env STRIPES_CACHE)", cacheDir())
    .option("--base <url>", "URL of the folder holding the files (env STRIPES_FETCH_BASE)", baseUrl())
    .option("-q, --quiet", "no progress output", false)
    .action(async (opts: { dir: string; base: string; quiet: boolean }) => {
      const onEvent = downloadProgress({ quiet: opts.quiet, sayCached: true });
      for (const file of Object.values(ARTICLE_FILES)) {
        const path = await fetchFile(file, { dir: opts.dir, base: opts.base, onEvent });
        process.stdout.write(path + "\n");
      }
    });
}
