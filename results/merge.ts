import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DseError } from '../core/errors.ts';
import { canonicalJson } from '../core/hash.ts';
import type { JournalHeader, Trial } from '../core/types.ts';
import { forEachTrial, readJournalHeader } from './journal.ts';
import { headerProblemHash } from './problem-hash.ts';

/**
 * Merges the journals of several runs of one study (shards of a Slurm array, or a run and
 * its resumption) into one set of trials.
 *
 * - Trials are united by design hash: a design evaluated in two runs counts once. Its two
 *   outcomes must agree (status, metrics and objectives, to a relative 1e-9, which allows for
 *   nothing but float formatting); a disagreement means the runs did not use the same model
 *   and is a DseError naming both runs. One exception: a 'failed' trial (a crash, a solver
 *   timeout: not an outcome of the design) gives way to a run where the design succeeded.
 * - Runs of different problems (results/problem-hash.ts) are refused. Runs of one problem
 *   merge whatever their searcher, budget, seed or batch size (their union is the best front
 *   known for the problem); the header is still the earliest run's.
 * - The result does not depend on the order of the runs and merging it again changes
 *   nothing: trials are sorted by hash and numbered again (seq 0..n-1), and the header is the
 *   earliest run's (its shard field dropped).
 */

const REL_TOL = 1e-9;

export interface MergedRuns {
  header: JournalHeader;
  trials: Trial[];
}

/** `journal.jsonl` inside a run directory, or the path itself when it names a file. */
export function journalPathOf(dirOrFile: string): string {
  if (existsSync(dirOrFile) && statSync(dirOrFile).isFile()) return dirOrFile;
  return join(dirOrFile, 'journal.jsonl');
}

/** What a journal check reads of a trial: a report's fast reader has no more than this of most lines. */
export type JournalTrialFields = Pick<Trial, 'hash' | 'design' | 'status' | 'objectives'> & {
  /** The design's JSON text as the line holds it, when the reader has it: checked without parsing it. */
  designJson?: string;
};

/**
 * Checks the trials of one journal as they are read, by merge and by reports (the study-aware
 * checks live in dse/journal-trust.ts: only dse/ can derive a study's space).
 */
export type JournalLineCheck = (header: JournalHeader, file: string) => (trial: JournalTrialFields, line: number) => void;

export function mergeRuns(dirs: readonly string[], opts: { check?: JournalLineCheck } = {}): MergedRuns {
  if (dirs.length === 0) throw new DseError('merge_no_runs', 'name at least one run directory to merge');
  const byHash = new Map<string, { trial: Trial; from: string }>();
  const headers: { header: JournalHeader; dir: string }[] = [];

  for (const dir of dirs) {
    const file = journalPathOf(dir);
    if (!existsSync(file)) throw new DseError('file_not_found', 'no journal.jsonl in this run directory', { file });
    // Headers are compared before any trial, so runs of different problems are refused as such
    // (not as designs that disagree).
    const header = readJournalHeader(file);
    const first = headers[0];
    if (first && canonicalJson(header.objectives) !== canonicalJson(first.header.objectives)) {
      throw new DseError('merge_different_objectives', `objectives differ: ${first.dir} has [${first.header.objectives}], ${dir} has [${header.objectives}]`, { file });
    }
    if (first && headerProblemHash(header) !== headerProblemHash(first.header)) {
      throw new DseError(
        'merge_different_problems',
        `cannot merge runs of different problems: ${first.dir} has problem hash ${headerProblemHash(first.header)}, ${dir} has ${headerProblemHash(header)} (workloads, architecture, space, fixed values, objectives, constraints, schedule or mixed-precision settings, or accel-dse version differ)`,
        { file },
      );
    }
    const check = opts.check?.(header, file);
    const scan = forEachTrial(file, (trial, line) => {
      check?.(trial, line);
      const seen = byHash.get(trial.hash);
      if (!seen) {
        byHash.set(trial.hash, { trial, from: dir });
        return;
      }
      const kept = reconcile(seen.trial, seen.from, trial, dir);
      if (kept !== seen.trial) byHash.set(trial.hash, { trial: kept, from: dir });
    });
    headers.push({ header: scan.header, dir });
  }

  const trials = [...byHash.values()].map((v) => v.trial).sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const merged = trials.map((t, seq) => ({ ...t, seq }));
  return { header: mergedHeader(headers.map((h) => h.header)), trials: merged };
}

/** The earliest header (ties broken by content), without its shard: the merged run is the whole study. */
function mergedHeader(headers: JournalHeader[]): JournalHeader {
  const keyed = headers.map((h) => ({ h, key: canonicalJson({ ...h, shard: undefined }) }));
  keyed.sort((a, b) => (a.h.createdAt < b.h.createdAt ? -1 : a.h.createdAt > b.h.createdAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { shard: _shard, ...rest } = keyed[0]!.h;
  return rest;
}

/** Which of two trials of the same design to keep; throws when their outcomes disagree. */
function reconcile(a: Trial, aFrom: string, b: Trial, bFrom: string): Trial {
  if (a.status === 'failed' || b.status === 'failed') {
    if (a.status !== 'failed') return a;
    if (b.status !== 'failed') return b;
    // Both failed: keep the one with the smaller message, so the choice does not depend on order.
    return (a.error ?? '') <= (b.error ?? '') ? a : b;
  }
  const why = disagreement(a, b);
  if (why) {
    throw new DseError(
      'merge_conflicting_trials',
      `design ${a.hash} was evaluated in ${aFrom} and ${bFrom} with different results (${why}); were the runs made with different versions of the model?`,
    );
  }
  // Equal within tolerance: keep the canonical-smaller one so the output is order-independent.
  return canonicalJson(a) <= canonicalJson(b) ? a : b;
}

function disagreement(a: Trial, b: Trial): string | undefined {
  if (a.status !== b.status) return `status ${a.status} vs ${b.status}`;
  const am = a.metrics ?? {};
  const bm = b.metrics ?? {};
  const keys = new Set([...Object.keys(am), ...Object.keys(bm)]);
  for (const k of [...keys].sort()) {
    if (!close(am[k], bm[k])) return `${k} ${am[k]} vs ${bm[k]}`;
  }
  const ao = a.objectives ?? [];
  const bo = b.objectives ?? [];
  if (ao.length !== bo.length) return `${ao.length} vs ${bo.length} objective values`;
  for (let i = 0; i < ao.length; i++) if (!close(ao[i], bo[i])) return `objective ${i} ${ao[i]} vs ${bo[i]}`;
  return undefined;
}

function close(x: number | undefined, y: number | undefined): boolean {
  if (x === y) return true;
  if (typeof x !== 'number' || typeof y !== 'number') return false;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= REL_TOL * Math.max(Math.abs(x), Math.abs(y));
}
