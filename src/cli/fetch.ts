/**
 * @file `stripes fetch`: downloads the article's checkpoint and photo into the cache and
 * verifies them. Prints each file's path on stdout; progress goes to stderr (a bar on a
 * terminal, plain lines otherwise).
 *
 *   --dir <folder>   the cache folder        (default: STRIPES_CACHE or the per-user cache)
 *   --base <url>     where to download from  (default: STRIPES_FETCH_BASE or the book's repository)
 *   -q, --quiet      no progress output
 */
import type { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { ARTICLE_FILES, baseUrl, cacheDir, consoleLines, fetchFile, formatBytes, type FetchEvent } from "../notebook/fetch";

export function register(program: Command): void {
  program
    .command("fetch")
    .description("download the article's weights (horse2zebra_0.4.0.pth) and photo (horse.jpg), verified by git SHA-1")
    .option("--dir <folder>", "cache folder (env STRIPES_CACHE)", cacheDir())
    .option("--base <url>", "URL of the folder holding the files (env STRIPES_FETCH_BASE)", baseUrl())
    .option("-q, --quiet", "no progress output", false)
    .action(async (opts: { dir: string; base: string; quiet: boolean }) => {
      const onEvent = opts.quiet ? () => {} : process.stderr.isTTY ? progressBar() : consoleLines((l) => process.stderr.write(l + "\n"));
      for (const file of Object.values(ARTICLE_FILES)) {
        const path = await fetchFile(file, { dir: opts.dir, base: opts.base, onEvent });
        process.stdout.write(path + "\n");
      }
    });
}

/** A cli-progress bar per download, with lines for retries and results. */
function progressBar(): (event: FetchEvent) => void {
  let bar: SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const say = (line: string) => {
    stop();
    process.stderr.write(line + "\n");
  };
  return (event) => {
    switch (event.kind) {
      case "start":
        stop();
        bar = new SingleBar(
          {
            format: `${event.file.name} [{bar}] {percentage}% | {got} of {size} | ETA {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        bar.start(event.total ?? 0, event.from, { got: formatBytes(event.from), size: event.total ? formatBytes(event.total) : "?" });
        break;
      case "data":
        bar?.update(event.received, { got: formatBytes(event.received) });
        break;
      case "retry":
        say(`${event.file.name}: ${event.reason}`);
        break;
      case "done":
        say(`${event.file.name}: ${formatBytes(event.bytes)}, git blob SHA-1 verified`);
        break;
      case "cached":
        process.stderr.write(`${event.file.name}: already in the cache, git blob SHA-1 verified\n`);
        break;
    }
  };
}
