/**
 * @file `stripes-gan convert`'s progress: a bar with count, images/s and ETA on a terminal; one
 * line per image otherwise. Failed images print their line without breaking the bar.
 */
import { SingleBar, Presets } from "cli-progress";

export class Progress {
  private readonly bar: SingleBar | null;
  private readonly start = performance.now();
  private count = 0; // done or failed
  private converted = 0;

  constructor(private readonly total: number) {
    this.bar = process.stderr.isTTY
      ? new SingleBar(
          { format: "converting [{bar}] {value}/{total} | {rate} images/s | ETA {eta_formatted}", stream: process.stderr, hideCursor: true },
          Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { rate: "0.00" });
  }

  tick(line: string): void {
    this.count++;
    this.converted++;
    if (this.bar) this.bar.update(this.count, this.rate());
    else process.stderr.write(`[${this.count}/${this.total}] ${line}\n`);
  }

  /** A failed image: its error line, printed without breaking the bar, which still advances. */
  interrupt(line: string): void {
    this.count++;
    if (!this.bar) {
      process.stderr.write(line + "\n");
      return;
    }
    this.bar.stop();
    process.stderr.write(line + "\n");
    this.bar.start(this.total, this.count, this.rate());
  }

  /** Converted images per second so far, for the bar's {rate}. */
  private rate(): { rate: string } {
    return { rate: (this.converted / ((performance.now() - this.start) / 1000)).toFixed(2) };
  }

  stop(): void {
    this.bar?.stop();
  }
}
