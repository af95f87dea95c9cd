import type { Trial } from '../core/types.ts';

/**
 * The trials of one evaluated batch in the compact form workers send back to the study loop:
 * their journal lines already serialised and UTF-8 encoded (bytes outside the JavaScript heap,
 * written to the journal as they are), and per trial a status code and the objective vector in
 * typed arrays. The study loop's thread does its per-trial work for every trial of a run, so it
 * reads these numbers instead of receiving, building and serialising objects; a whole Trial is
 * parsed from its line only when one is needed (a design entering the front, or an adaptive
 * searcher's tell).
 */
export interface TrialBatch {
  /** The trials' journal lines in batch order, UTF-8, each ending in '\n'. */
  lines: Uint8Array;
  /** Line i is lines[lineStart[i] .. lineStart[i + 1]) (n + 1 byte offsets). */
  lineStart: Uint32Array;
  /** Status of trial i, an index into STATUSES. */
  status: Uint8Array;
  /** Objectives of trial i at [i * k, (i + 1) * k) for k objectives; NaN for failed trials. */
  objectives: Float64Array;
}

export const STATUSES = ['ok', 'infeasible', 'failed'] as const;
export const OK = 0;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes trials (seq first, as the journal has always written them) for k objectives. */
export function encodeTrials(trials: readonly Trial[], k: number): TrialBatch {
  const out = new BatchWriter(trials.length, k);
  trials.forEach((t, i) => out.add(JSON.stringify(t), STATUSES.indexOf(t.status), t.objectives));
  return out.finish();
}

/**
 * Builds a TrialBatch trial by trial: each journal line (JSON without its line break) is UTF-8
 * encoded into the batch's bytes as soon as it is given, so the line strings die young instead
 * of living (and being promoted by the garbage collector) until the batch is done.
 */
export class BatchWriter {
  private lines: Uint8Array;
  private readonly lineStart: Uint32Array;
  private readonly status: Uint8Array;
  private readonly objectives: Float64Array;
  private at = 0;
  private i = 0;

  constructor(
    private readonly n: number,
    private readonly k: number,
  ) {
    this.lines = new Uint8Array(1024 * Math.max(1, n));
    this.lineStart = new Uint32Array(n + 1);
    this.status = new Uint8Array(n);
    this.objectives = new Float64Array(n * k).fill(NaN);
  }

  add(line: string, status: number, objectives: readonly number[] | undefined): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit, plus the line break.
    if (this.at + 3 * line.length + 1 > this.lines.length) {
      const grown = new Uint8Array(2 * this.lines.length + 3 * line.length + 1);
      grown.set(this.lines.subarray(0, this.at));
      this.lines = grown;
    }
    this.at += encoder.encodeInto(line, this.lines.subarray(this.at)).written;
    this.lines[this.at++] = 0x0a;
    this.lineStart[++this.i] = this.at;
    this.status[this.i - 1] = status;
    if (objectives) this.objectives.set(objectives, (this.i - 1) * this.k);
  }

  /** The batch of the trials given so far: all n, or a prefix when the batch was cut short (an interrupted run). */
  finish(): TrialBatch {
    const { i, k } = this;
    if (i === this.n) return { lines: this.lines.slice(0, this.at), lineStart: this.lineStart, status: this.status, objectives: this.objectives };
    return { lines: this.lines.slice(0, this.at), lineStart: this.lineStart.slice(0, i + 1), status: this.status.slice(0, i), objectives: this.objectives.slice(0, i * k) };
  }
}

/** One batch made of several (the chunks of a batch, in order), for k objectives. */
export function concatBatches(parts: readonly TrialBatch[], k: number): TrialBatch {
  if (parts.length === 1) return parts[0]!;
  const n = parts.reduce((s, p) => s + p.status.length, 0);
  const lines = new Uint8Array(parts.reduce((s, p) => s + p.lines.length, 0));
  const lineStart = new Uint32Array(n + 1);
  const status = new Uint8Array(n);
  const objectives = new Float64Array(n * k);
  let bytes = 0;
  let at = 0;
  for (const p of parts) {
    const m = p.status.length;
    for (let i = 1; i <= m; i++) lineStart[at + i] = bytes + p.lineStart[i]!;
    lines.set(p.lines, bytes);
    status.set(p.status, at);
    objectives.set(p.objectives, at * k);
    bytes += p.lines.length;
    at += m;
  }
  return { lines, lineStart, status, objectives };
}

/** Trial i of a batch, parsed from its journal line. */
export function trialAt(batch: TrialBatch, i: number): Trial {
  return JSON.parse(decoder.decode(batch.lines.subarray(batch.lineStart[i]!, batch.lineStart[i + 1]!))) as Trial;
}

/** Every trial of a batch, parsed. */
export function batchTrials(batch: TrialBatch): Trial[] {
  return Array.from(batch.status, (_, i) => trialAt(batch, i));
}
