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
  const status = new Uint8Array(trials.length);
  const objectives = new Float64Array(trials.length * k).fill(NaN);
  const lines = trials.map((t, i) => {
    status[i] = STATUSES.indexOf(t.status);
    if (t.objectives) objectives.set(t.objectives, i * k);
    return JSON.stringify(t);
  });
  return linesBatch(lines, status, objectives);
}

/**
 * A batch of trials given as their journal lines (JSON without the line break), statuses and
 * objectives: the lines are joined and UTF-8 encoded at once.
 */
export function linesBatch(lines: readonly string[], status: Uint8Array, objectives: Float64Array): TrialBatch {
  const n = lines.length;
  const text = n === 0 ? '' : lines.join('\n') + '\n';
  const bytes = encoder.encode(text);
  const lineStart = new Uint32Array(n + 1);
  // ASCII text (the usual case: names, hashes and numbers) has one byte per UTF-16 unit.
  const ascii = bytes.length === text.length;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const line = lines[i]!;
    at += (ascii ? line.length : utf8Length(line)) + 1;
    lineStart[i + 1] = at;
  }
  return { lines: bytes, lineStart, status, objectives };
}

function utf8Length(s: string): number {
  return encoder.encode(s).length;
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
