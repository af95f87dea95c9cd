import { formatDuration } from '../results/report/units.ts';

/** Progress of a run as the loop sees it after each batch. */
export interface ProgressInfo {
  done: number;
  budget: number;
  frontSize: number;
  /** On a scale frozen early in the run (dse/progress-hypervolume.ts), so it never goes down; NaN until known. */
  hypervolume: number;
  elapsedS: number;
  failed: number;
  infeasible: number;
}

/**
 * Renders progress for a person: a bar redrawn in place on a terminal, plain lines (at most
 * every few seconds) otherwise, so CI logs stay readable.
 *
 * Rate and ETA are measured from the first report on: the first batch also pays for starting
 * the workers (and loading workloads), which says nothing about how fast the rest will go.
 */
export class ProgressReporter {
  private lastLineAtS = -Infinity;
  private readonly tty: boolean;
  private start: { done: number; elapsedS: number } | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly plainEveryS = 5) {
    this.tty = !!stream.isTTY;
  }

  update(p: ProgressInfo): void {
    this.start ??= { done: p.done, elapsedS: p.elapsedS };
    const { rate, etaS } = rateAndEta(this.start, p);
    const hv = Number.isFinite(p.hypervolume) ? p.hypervolume.toFixed(4) : '-';
    const stats = `${p.done}/${p.budget} trials  ${Number.isFinite(rate) ? rate.toFixed(0) : '-'}/s  front ${p.frontSize}  HV ${hv} (start scale)  ETA ${Number.isFinite(etaS) ? formatDuration(etaS) : '-'}`;
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

/**
 * Trials per second since `start` (the first report) and the time left at that rate; NaN
 * while nothing has been measured past the start. Done: ETA 0.
 */
export function rateAndEta(start: { done: number; elapsedS: number }, p: Pick<ProgressInfo, 'done' | 'budget' | 'elapsedS'>): { rate: number; etaS: number } {
  if (p.done >= p.budget) return { rate: p.elapsedS > start.elapsedS ? (p.done - start.done) / (p.elapsedS - start.elapsedS) : NaN, etaS: 0 };
  const dt = p.elapsedS - start.elapsedS;
  const dn = p.done - start.done;
  if (!(dt > 0) || dn <= 0) return { rate: NaN, etaS: NaN };
  const rate = dn / dt;
  return { rate, etaS: (p.budget - p.done) / rate };
}
