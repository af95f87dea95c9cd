import { formatDuration } from '../results/report/units.ts';

/** Progress of a run as the loop sees it after each batch. */
export interface ProgressInfo {
  done: number;
  budget: number;
  frontSize: number;
  hypervolume: number;
  elapsedS: number;
  failed: number;
  infeasible: number;
}

/**
 * Renders progress for a person: a bar redrawn in place on a terminal, plain lines (at most
 * every few seconds) otherwise, so CI logs stay readable.
 */
export class ProgressReporter {
  private lastLineAtS = -Infinity;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly plainEveryS = 5) {
    this.tty = !!stream.isTTY;
  }

  update(p: ProgressInfo): void {
    const rate = p.elapsedS > 0 ? p.done / p.elapsedS : 0;
    const etaS = rate > 0 ? Math.max(0, (p.budget - p.done) / rate) : NaN;
    const stats = `${p.done}/${p.budget} trials  ${rate.toFixed(0)}/s  front ${p.frontSize}  HV ${p.hypervolume.toFixed(4)}  ETA ${formatDuration(etaS)}`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round((width * Math.min(p.done, p.budget)) / Math.max(p.budget, 1));
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}\x1b[K`);
    } else if (p.elapsedS - this.lastLineAtS >= this.plainEveryS || p.done >= p.budget) {
      this.lastLineAtS = p.elapsedS;
      this.stream.write(`progress: ${stats}\n`);
    }
  }

  finish(): void {
    if (this.tty) this.stream.write('\n');
  }
}
