/**
 * @file How a command reports the download of an article file on stderr: nothing when quiet,
 * a cli-progress bar per file on a terminal, plain lines (`consoleLines`) otherwise.
 */
import { SingleBar, Presets } from "cli-progress";
import { consoleLines, formatBytes, type FetchEvent } from "../fetch/fetch";

/** `sayCached`: also say when a file was already in the cache (`stripes-gan fetch` does; other commands keep quiet). */
export function downloadProgress({ quiet = false, sayCached = false } = {}): (event: FetchEvent) => void {
  const line = (l: string) => void process.stderr.write(l + "\n");
  if (quiet) return () => {};
  if (!process.stderr.isTTY) return consoleLines(line);
  let bar: SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
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
        stop();
        line(`${event.file.name}: ${event.reason}`);
        break;
      case "done":
        stop();
        line(`${event.file.name}: ${formatBytes(event.bytes)}, git blob SHA-1 verified, saved as ${event.path}`);
        break;
      case "cached":
        if (sayCached) line(`${event.file.name}: already in the cache, git blob SHA-1 verified`);
        break;
    }
  };
}
