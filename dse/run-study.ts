import { existsSync } from 'node:fs';
import { makeDirectory } from '../core/write-file.ts';
import { join, resolve } from 'node:path';
import { maximizedNames } from './study-objectives.ts';
import { DseError } from '../core/errors.ts';
import type { Design, JournalHeader, Trial } from '../core/types.ts';
import { deriveSeed } from '../core/prng.ts';
import { TrialFront } from '../results/trial-front.ts';
import { JournalWriter, readJournal } from '../results/journal.ts';
import { writeRunOutputs } from '../results/run-outputs.ts';
import { createSearcher } from '../search/registry.ts';
import { admissibility, loadStudy, studyFromObject, studyFromSpec, type Study, type StudyOverrides } from './load-study.ts';
import { designHash } from './evaluate-design.ts';
import { defaultWorkerCount, EvaluationPool } from './pool.ts';
import type { ProgressInfo } from './progress.ts';
import { ProgressHypervolume } from './progress-hypervolume.ts';
import { batchTrials, encodeTrials, OK, STATUSES, trialAt, type TrialBatch } from './trial-batch.ts';
import { toolVersion } from './version.ts';
import { acquireRunLock, type RunLock } from './run-lock.ts';
import { journalSizeWarning } from './journal-size.ts';
import { journalTrialCheck, type TrialCheck } from './journal-trust.ts';

export interface RunOptions extends StudyOverrides {
  /** Run directory; default runs/<study name>/<timestamp>[-shard-i-of-n]. */
  out?: string;
  /** Worker threads; 0 evaluates in this thread. Default: one per core. */
  workers?: number;
  shard?: { index: number; count: number };
  /** Continue the run in this directory from its journal. */
  resume?: string;
  /** Called after every batch. */
  onProgress?: (p: ProgressInfo) => void;
  /** Told things worth stopping for (a journal that will fill the disk), once each. */
  onWarning?: (message: string) => void;
  /** Stops the run cleanly after the batch in flight. */
  signal?: AbortSignal;
  /** Test hook: the canonical JSON of a design whose evaluation kills its worker once. */
  crashOn?: string;
}

export interface RunResult {
  dir: string;
  study: Study;
  front: Trial[];
  counts: { total: number; ok: number; infeasible: number; failed: number };
  /** Trials evaluated in this invocation (a resumed run does not re-evaluate journalled ones). */
  evaluated: number;
  interrupted: boolean;
  elapsedS: number;
  /** front.json's hypervolume: the front normalised to its own ideal and nadir, reference point 1.1 (docs/PARETO.md). */
  hypervolume: number;
  /** Hash of the knee design of the front (front.json `knee`); undefined for an empty front. */
  knee: string | undefined;
}

/**
 * Runs a study: the searcher asks for batches of designs, the pool evaluates them, every
 * trial is appended to the journal, the front is kept incrementally, and the run directory
 * ends with journal.jsonl, front.json, front.csv and summary.md.
 *
 * Resuming replays the searcher from the same seed: designs already in the journal are told
 * from it instead of being evaluated again, so a resumed run asks exactly what an
 * uninterrupted one would, and ends with the same trials and front.
 */
export async function runStudy(studyOrFile: string | Study | undefined, opts: RunOptions = {}): Promise<RunResult> {
  // The run directory's lock is held from before the journal is touched until the outputs are written.
  const held: RunLock[] = [];
  try {
    return await runStudyLocked(studyOrFile, opts, (dir) => held.push(acquireRunLock(dir)));
  } finally {
    for (const lock of held) lock.release();
  }
}

async function runStudyLocked(studyOrFile: string | Study | undefined, opts: RunOptions, lock: (dir: string) => void): Promise<RunResult> {
  const started = Date.now();
  let study: Study;
  let dir: string;
  let journal: JournalWriter;
  let header: JournalHeader;
  let shard = opts.shard;
  const done = new Map<string, Trial>();

  if (opts.resume) {
    dir = resolve(opts.resume);
    const file = join(dir, 'journal.jsonl');
    if (!existsSync(file)) throw new DseError('no_journal', 'no journal.jsonl to resume from', { file: dir });
    lock(dir);
    let check: TrialCheck | undefined;
    const previous = readJournal(file, (t, line, h) => (check ??= journalTrialCheck(h, file))(t, line));
    study = studyFromSpec(previous.header.study);
    if (study.hash !== previous.header.studyHash) {
      throw new DseError('study_changed', 'the journal header does not match its own study (edited by hand?)', { file });
    }
    header = previous.header;
    shard = previous.header.shard ?? shard;
    for (const t of previous.trials) done.set(t.hash, t);
    journal = JournalWriter.open(file);
  } else {
    if (studyOrFile === undefined) throw new DseError('no_study', 'name a study file (or --resume DIR)');
    study = typeof studyOrFile === 'string' ? loadStudy(studyOrFile, opts) : withOverrides(studyOrFile, opts);
    dir = resolve(opts.out ?? defaultRunDir(study, shard));
    const file = join(dir, 'journal.jsonl');
    if (existsSync(file)) {
      throw new DseError('run_exists', 'already holds a run: continue it with --resume, or choose another --out', { file: dir });
    }
    makeDirectory(dir);
    lock(dir);
    // Another run may have started here between the check above and the lock.
    if (existsSync(file)) throw new DseError('run_exists', 'already holds a run: continue it with --resume, or choose another --out', { file: dir });
    header = {
      type: 'header',
      study: study.spec,
      studyHash: study.hash,
      problemHash: study.problemHash,
      seed: study.spec.search.seed,
      version: toolVersion(),
      objectives: study.objectives,
      ...(study.objectiveSpecs.some((o) => o.maximize) ? { maximize: maximizedNames(study.objectiveSpecs) } : {}),
      createdAt: new Date().toISOString(),
      ...(shard ? { shard } : {}),
    };
    journal = JournalWriter.create(file, header);
  }

  const { search } = study.spec;
  const searcher = createSearcher(search.algorithm, {
    parameters: study.parameters,
    fixed: study.fixed,
    seed: shard && !isFixedSequence(search.algorithm) ? deriveSeed(search.seed, 'shard', shard.index) : search.seed,
    budget: search.budget,
    isAdmissible: admissibility(study),
    settings: search.options,
    ...(shard ? { shard } : {}),
  });
  const workers = opts.workers ?? defaultWorkerCount();
  const pool = new EvaluationPool(study.spec, workers);
  if (opts.crashOn !== undefined) pool.crashOn = opts.crashOn;
  // Ctrl-C stops the batches in flight after the evaluations running now (their trials are
  // journalled; the rest of each batch is evaluated by --resume, which replays the same asks).
  const stopPool = (): void => pool.stop();
  opts.signal?.addEventListener('abort', stopPool, { once: true });

  // What this run expects to evaluate, for progress and ETA: a shard gets its share.
  const expectedTrials = Math.ceil(Math.min(search.budget, study.spaceSize) / (shard?.count ?? 1));
  const front = new TrialFront();
  const hv = new ProgressHypervolume();
  const counts = { total: 0, ok: 0, infeasible: 0, failed: 0 };
  let evaluated = 0;
  let interrupted = false;
  let seq = 0;
  // Searchers whose designs do not depend on outcomes (grid, random) get the next batch asked
  // and sent to the workers before the previous one is journalled and told, so the workers
  // never wait for this thread. The asks and tells are the same either way: only the overlap
  // changes. Adaptive searchers see each batch's outcomes before they ask again.
  const pipelined = isFixedSequence(search.algorithm);
  // Per trial, this thread only counts, reads objectives from typed arrays, and checks them
  // against the front; the workers wrote the journal lines, and a Trial object is parsed from
  // its line only when it enters the front. With cheap evaluations this thread's per-trial work
  // bounds the whole pool, so it is kept to that (see `npm run bench -- pool`).
  const k = study.objectives.length;
  const vector = new Array<number>(k);
  let sizeChecked = false;
  const record = ({ batch, journalLines, fresh, complete }: RecordedBatch): void => {
    journal.appendLines(journalLines);
    evaluated += fresh;
    if (!sizeChecked && fresh > 0 && opts.onWarning) {
      sizeChecked = true;
      const n = batch.status.length;
      const warning = journalSizeWarning({ dir, bytesPerTrial: journalLines.length / fresh, trialsLeft: Math.max(0, expectedTrials - counts.total - n) });
      if (warning) opts.onWarning(warning);
    }
    const n = batch.status.length;
    for (let i = 0; i < n; i++) {
      const status = batch.status[i]!;
      counts.total++;
      counts[STATUSES[status]!]++;
      if (status !== OK) continue;
      for (let j = 0; j < k; j++) vector[j] = batch.objectives[i * k + j]!;
      hv.observe(vector);
      if (!front.isDominated(vector)) front.add(trialAt(batch, i));
    }
    // grid and random walk a fixed sequence and ignore outcomes: their trials are not parsed.
    // A batch cut short by Ctrl-C is not told: nothing is asked after it, and a searcher is
    // only ever told whole batches (as --resume will tell this one).
    if (!pipelined && complete) searcher.tell(batchTrials(batch));
    emitProgress(counts.total >= expectedTrials);
  };
  // Progress (front size, hypervolume) costs O(front), so it is sent at most every 200 ms.
  let lastProgressAt = -Infinity;
  let lastReportedTotal = -1;
  const emitProgress = (force: boolean): void => {
    if (!opts.onProgress || (force && counts.total === lastReportedTotal)) return;
    const now = Date.now();
    if (!force && now - lastProgressAt < 200) return;
    lastProgressAt = now;
    lastReportedTotal = counts.total;
    opts.onProgress({
      done: counts.total,
      budget: expectedTrials,
      frontSize: front.size,
      hypervolume: hv.value(front.points()),
      elapsedS: (now - started) / 1000,
      failed: counts.failed,
      infeasible: counts.infeasible,
    });
  };
  let inFlight: Promise<RecordedBatch> | undefined;
  try {
    for (;;) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      const designs = searcher.ask(search.batchSize);
      const next = designs.length > 0 ? evaluateBatch(designs, done, pool, seq, k) : undefined;
      seq += designs.length;
      if (pipelined) {
        if (inFlight) record(await inFlight);
        inFlight = next;
      } else if (next) {
        record(await next);
      }
      if (!next) break;
    }
    // A batch still in flight (pipelined, or interrupted) is finished and journalled.
    if (inFlight) record(await inFlight);
    emitProgress(true);
  } finally {
    opts.signal?.removeEventListener('abort', stopPool);
    journal.close();
    await pool.close();
  }
  const elapsedS = (Date.now() - started) / 1000;
  const frontTrials = front.trials();
  const written = writeRunOutputs(dir, { header, front: frontTrials, counts, elapsedS });
  return { dir, study, front: frontTrials, counts, evaluated, interrupted, elapsedS, hypervolume: written.hypervolume, knee: written.knee };
}

/** A loaded study with the run's budget, seed or searcher overrides applied (re-validated). */
function withOverrides(study: Study, overrides: StudyOverrides): Study {
  const { budget, seed, algorithm } = overrides;
  if (budget === undefined && seed === undefined && algorithm === undefined) return study;
  return studyFromObject(study.spec, { overrides: { budget, seed, algorithm }, ...(study.file ? { file: study.file } : {}) });
}

/** An evaluated batch: every trial in ask order, the journal lines of the new ones and their number. */
interface RecordedBatch {
  batch: TrialBatch;
  journalLines: Uint8Array;
  fresh: number;
  /** False when the run was interrupted before every design of the batch was evaluated. */
  complete: boolean;
}

/** Trials for a batch: journalled ones reused (a resumed run), the rest evaluated; seq numbers by ask order. */
async function evaluateBatch(designs: Design[], done: Map<string, Trial>, pool: EvaluationPool, firstSeq: number, k: number): Promise<RecordedBatch> {
  if (done.size === 0) {
    // A fresh run: the workers hash the designs and write the journal lines.
    const batch = await pool.evaluate(designs, firstSeq);
    const fresh = batch.status.length;
    return { batch, journalLines: batch.lines, fresh, complete: fresh === designs.length };
  }
  const hashes = designs.map(designHash);
  const pendingAt = designs.flatMap((_, i) => (done.has(hashes[i]!) ? [] : [i]));
  const evaluated = await pool.evaluate(
    pendingAt.map((i) => designs[i]!),
    pendingAt.map((i) => firstSeq + i),
  );
  const fresh = evaluated.status.length;
  if (fresh < pendingAt.length) {
    // Interrupted: which designs were evaluated is in their lines (each chunk's first ones).
    const trials = [...designs.flatMap((_, i) => done.get(hashes[i]!) ?? []), ...Array.from({ length: fresh }, (_, j) => trialAt(evaluated, j))];
    return { batch: encodeTrials(trials, k), journalLines: evaluated.lines, fresh, complete: false };
  }
  let next = 0;
  const trials = designs.map((_, i) => done.get(hashes[i]!) ?? trialAt(evaluated, next++));
  return { batch: encodeTrials(trials, k), journalLines: evaluated.lines, fresh, complete: true };
}

/**
 * Searchers that walk one fixed sequence of designs, whatever the outcomes: their shards split
 * that sequence (the rest run as independently seeded islands) and their batches can overlap.
 */
function isFixedSequence(algorithm: string): boolean {
  return algorithm === 'grid' || algorithm === 'random';
}

function defaultRunDir(study: Study, shard: { index: number; count: number } | undefined): string {
  const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
  // Only letters, digits, . _ -, and no leading dot: a study named `..` stays inside runs/.
  const safeName = study.spec.name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '').slice(0, 60) || 'study';
  return join('runs', safeName, shard ? `${stamp}-shard-${shard.index}-of-${shard.count}` : stamp);
}
