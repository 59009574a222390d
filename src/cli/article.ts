/**
 * @file The article's files for commands run without their own: STRIPES_WEIGHTS / STRIPES_IMAGE
 * when set, otherwise the cached download (fetched, with progress on stderr, if missing).
 */
import { ArticleFileKey, fetchArticleFile } from "../fetch/fetch";
import { downloadProgress } from "./downloadProgress";

const ENV: Record<ArticleFileKey, string> = { weights: "STRIPES_WEIGHTS", image: "STRIPES_IMAGE" };

/** Path of the article's weights or photo; downloads it into the cache if needed. */
export async function articleFile(key: ArticleFileKey, { quiet = false } = {}): Promise<string> {
  const own = process.env[ENV[key]];
  if (own) return own;
  return fetchArticleFile(key, { onEvent: downloadProgress({ quiet }) });
}
