/**
 * @file The article's files for commands run without their own: STRIPES_WEIGHTS / STRIPES_IMAGE
 * when set, otherwise the cached download (fetched, with progress on stderr, if missing).
 */
import { SingleBar, Presets } from "cli-progress";
import { ARTICLE_FILES, ArticleFileKey, consoleLines, fetchArticleFile, formatBytes, type FetchEvent } from "../notebook/fetch";

const ENV: Record<ArticleFileKey, string> = { weights: "STRIPES_WEIGHTS", image: "STRIPES_IMAGE" };

/** Path of the article's weights or photo; downloads it into the cache if needed. */
export async function articleFile(key: ArticleFileKey, { quiet = false } = {}): Promise<string> {
  const own = process.env[ENV[key]];
  if (own) return own;
  const onEvent = quiet ? () => {} : process.stderr.isTTY ? downloadBar() : consoleLines((l) => process.stderr.write(l + "\n"));
  return fetchArticleFile(key, { onEvent });
}

/** A bar while a file downloads; other events as lines. */
function downloadBar(): (event: FetchEvent) => void {
  const lines = consoleLines((l) => process.stderr.write(l + "\n"));
  let bar: SingleBar | undefined;
  return (event) => {
    if (event.kind === "start") {
      bar = new SingleBar(
        { format: `${event.file.name} [{bar}] {percentage}% | {got} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
        Presets.shades_classic,
      );
      bar.start(event.total ?? 0, event.from, { got: formatBytes(event.from) });
    } else if (event.kind === "data") {
      bar?.update(event.received, { got: formatBytes(event.received) });
    } else {
      bar?.stop();
      bar = undefined;
      if (event.kind !== "cached") lines(event);
    }
  };
}

export { ARTICLE_FILES };
