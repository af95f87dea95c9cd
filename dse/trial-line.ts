import type { Outcome } from './evaluate-design.ts';
import type { CompactOutcome } from './evaluate-design.ts';
import type { MetricLayout } from './study-metrics.ts';

/**
 * A trial's journal line written from its compact outcome, byte for byte what
 * `JSON.stringify({seq, ...outcome})` of its Trial gives, without building the Trial: the
 * metric keys of a study are the same on every line, so they are quoted once per study
 * and only the numbers are formatted per trial. The workers write every line of a run, so
 * this is a per-trial cost of the whole pool (`npm run bench -- pool`).
 */
export class TrialLineWriter {
  /** `{"name":` then `,"name":` for each metric of the layout. */
  private readonly keys: string[];

  constructor(layout: MetricLayout) {
    this.keys = layout.names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  }

  line(seq: number, c: CompactOutcome): string {
    if (c.values === undefined) {
      const failed: { seq: number } & Outcome = { seq, hash: c.hash, design: c.design, status: c.status, error: c.error! };
      return JSON.stringify(failed);
    }
    // Metrics and objectives are finite (an evaluation that is not fails), and a finite
    // number's JSON is its string form. One join of the parts makes one flat string, where
    // appending piece by piece made a rope to flatten.
    const { keys } = this;
    const values = c.values;
    const n = values.length;
    const parts = new Array<string | number>(2 * n + 2);
    parts[0] = `{"seq":${seq},"hash":${JSON.stringify(c.hash)},"design":${JSON.stringify(c.design)},"status":"${c.status}","metrics":`;
    for (let i = 0; i < n; i++) {
      parts[2 * i + 1] = keys[i]!;
      parts[2 * i + 2] = values[i]!;
    }
    parts[2 * n + 1] = `${n > 0 ? '}' : '{}'},"objectives":[${c.objectives!.join(',')}]${c.violations ? `,"violations":${JSON.stringify(c.violations)}` : ''}}`;
    return parts.join('');
  }
}
