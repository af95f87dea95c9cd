/**
 * One streaming pass over a run's journal that keeps only what a report needs, so a run of
 * a million trials is summarised without holding a million parsed trials:
 * - the front, incrementally (every trial that entered it is also logged with the evaluation
 *   at which it entered: that log alone rebuilds the front after any number of evaluations,
 *   because a trial dominated on arrival can never be on a later front);
 * - a deterministic sample of feasible and of infeasible trials for the faint cloud and the
 *   sensitivity medians: the k trials whose design hash hashes lowest (bottom-k sampling). It is
 *   a uniform sample when hashes are uniform, needs no seed, and does not depend on the order
 *   in which workers finished, so the same trials give the same report;
 * - counts per status.
 */
import { existsSync, statSync } from 'node:fs';
import { readTextFile } from '../../core/data-file.ts';
import { basename, dirname, join, resolve } from 'node:path';
import { deriveSeed } from '../../core/prng.ts';
import type { JournalHeader, ParamValue, Trial } from '../../core/types.ts';
import { skimJournal, type TrialSkim } from './journal-skim.ts';
import { TrialFront } from '../trial-front.ts';
import { journalPathOf, type JournalLineCheck } from '../merge.ts';
import type { ReportDesign } from './model.ts';

/** Metrics copied into front designs for the table and hover text. */
export const TABLE_METRICS = ['dramBytes', 'utilization'] as const;

export interface SampledTrial {
  run: number;
  seq: number;
  hash: string;
  design: Record<string, ParamValue>;
  objectives: number[];
}

export interface FrontEntryEvent {
  /** 1-based position of the trial in the journal (evaluations so far, including it). */
  evaluation: number;
  objectives: number[];
}

export interface RunScan {
  run: number;
  dir: string;
  header: JournalHeader;
  trials: number;
  ok: number;
  infeasible: number;
  failed: number;
  tornLastLine: boolean;
  /** Lines that were not valid trials and were left out (see journal-skim.ts). */
  skippedLines: number;
  /** Last modification of the journal (ms since epoch), for the run's wall time. */
  journalMTimeMs: number;
  /** The run's elapsed time from its front.json, when the run wrote one. */
  elapsedS: number | null;
  /** The run's own front (feasible, non-dominated), in no particular order. */
  front: ReportDesign[];
  /** Every entry into the front, in journal order. */
  frontLog: FrontEntryEvent[];
  feasibleSample: SampledTrial[];
  infeasibleSample: SampledTrial[];
}

export interface ScanOptions {
  /** Reservoir size for feasible trials (sensitivity medians and the cloud). */
  feasibleSample?: number;
  /** Reservoir size for infeasible trials (the cloud). */
  infeasibleSample?: number;
  /**
   * Checks every trial line before it counts (dse/journal-trust.ts, as on resume and merge): a
   * line that fails is a DseError naming the file and line, and the run is not reported.
   */
  check?: JournalLineCheck;
}

export const DEFAULT_FEASIBLE_SAMPLE = 20_000;
export const DEFAULT_INFEASIBLE_SAMPLE = 2_000;

/** Scans `<runDir>/journal.jsonl` (or a journal file given directly). */
export function scanRun(runDir: string, run: number, opts: ScanOptions = {}): RunScan {
  const file = resolve(journalPathOf(runDir));
  const feasibleCap = opts.feasibleSample ?? DEFAULT_FEASIBLE_SAMPLE;
  const infeasibleCap = opts.infeasibleSample ?? DEFAULT_INFEASIBLE_SAMPLE;
  // Designs with identical objectives all stay on the front (docs/PARETO.md), as in front.json.
  const archive = new TrialFront<ReportDesign>();
  const frontLog: FrontEntryEvent[] = [];
  const feasible = new BottomK<SampledTrial>(feasibleCap);
  const infeasible = new BottomK<SampledTrial>(infeasibleCap);
  let trials = 0, ok = 0, bad = 0, failed = 0;
  let width = -1;

  let check: ReturnType<JournalLineCheck> | undefined;
  const scan = skimJournal(file, (t: TrialSkim, line, header) => {
    if (opts.check) {
      check ??= opts.check(header, file);
      // The skim has no objectives for a line whose values are not all finite numbers: the check reads them whole.
      // The design is parsed only if the check cannot read its text as it stands.
      check(t.objectives === undefined && t.status !== 'failed' ? t.full() : { hash: t.hash, status: t.status, objectives: t.objectives, designJson: t.designJson(), get design() { return t.design(); } }, line);
    }
    trials++;
    if (t.status === 'failed') {
      failed++;
      return;
    }
    if (t.status === 'ok') ok++;
    else bad++;
    const obj = t.objectives;
    if (!obj) return;
    if (width < 0) width = obj.length;
    if (obj.length !== width) return;
    const priority = deriveSeed(0, t.hash, t.seq);
    // Only a kept trial's design is parsed (a few per cent of a large run), and only its design's bytes.
    if (t.status === 'ok') {
      if (feasible.wouldKeep(priority)) feasible.insert(priority, { run, seq: t.seq, hash: t.hash, design: t.design(), objectives: obj });
      // Most trials of a long run are dominated on arrival: they are turned away before an
      // entry is built for them. The entry is filled in only if it enters the front.
      if (archive.isDominated(obj)) return;
      const entry: ReportDesign = { run, seq: t.seq, hash: t.hash, design: {}, objectives: obj, metrics: {} };
      if (archive.add(entry)) {
        fillDesign(entry, t.full());
        frontLog.push({ evaluation: trials, objectives: obj });
      }
    } else {
      if (infeasible.wouldKeep(priority)) infeasible.insert(priority, { run, seq: t.seq, hash: t.hash, design: t.design(), objectives: obj });
    }
  });
  return {
    run,
    dir: runDir,
    header: scan.header,
    trials,
    ok,
    infeasible: bad,
    failed,
    tornLastLine: scan.tornLastLine,
    skippedLines: scan.skippedLines,
    journalMTimeMs: statSync(file).mtimeMs,
    elapsedS: elapsedOf(join(dirname(file), 'front.json')),
    front: archive.trials(),
    frontLog,
    feasibleSample: feasible.sorted(),
    infeasibleSample: infeasible.sorted(),
  };
}

/** A run's name in legends: its searcher, budget and seed (and shard); e.g. `nsga2 budget 500 seed 1`. */
export function runLabelOf(scan: RunScan): string {
  const search = (scan.header.study as { search?: { algorithm?: unknown; budget?: unknown } } | null)?.search;
  const algorithm = typeof search?.algorithm === 'string' ? search.algorithm : 'run';
  const budget = typeof search?.budget === 'number' ? ` budget ${search.budget}` : '';
  const shard = scan.header.shard ? ` shard ${scan.header.shard.index}/${scan.header.shard.count}` : '';
  return `${algorithm}${budget} seed ${scan.header.seed}${shard}`;
}

/** Labels of runs compared in one report, made unique by the run directory's name where two would read the same. */
export function runLabelsOf(scans: RunScan[]): string[] {
  const labels = scans.map(runLabelOf);
  return labels.map((l, i) => (labels.filter((x) => x === l).length > 1 ? `${l} (${basename(resolve(scans[i]!.dir))})` : l));
}

/** `elapsedS` of a run's front.json; null when absent or unreadable (it only improves the shown run time). */
function elapsedOf(frontFile: string): number | null {
  if (!existsSync(frontFile)) return null;
  try {
    const v = (JSON.parse(readTextFile(frontFile)) as { elapsedS?: unknown }).elapsedS;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** Per-workload metrics a study of several workloads shows in the front table (`latencyS@bert`). */
export const PER_WORKLOAD_TABLE_METRICS = /^(latencyS|energyPJ|tokensPerS|inferencesPerS)@/;

function fillDesign(entry: ReportDesign, t: Trial): void {
  entry.design = t.design;
  const perWorkload = Object.keys(t.metrics ?? {}).filter((k) => PER_WORKLOAD_TABLE_METRICS.test(k));
  for (const m of [...TABLE_METRICS, ...perWorkload]) {
    const v = t.metrics?.[m];
    if (typeof v === 'number' && Number.isFinite(v)) entry.metrics[m] = v;
  }
}

/**
 * Keeps the `capacity` items of lowest priority seen so far (a max-heap on priority, so the
 * worst kept item is at the root). Ask `wouldKeep` first, so an item is built only when kept.
 */
class BottomK<T> {
  private readonly keys: number[] = [];
  private readonly vals: T[] = [];
  constructor(private readonly capacity: number) {}

  wouldKeep(priority: number): boolean {
    return this.keys.length < this.capacity || (this.keys.length > 0 && priority < this.keys[0]!);
  }

  insert(priority: number, item: T): void {
    const n = this.keys.length;
    if (n < this.capacity) {
      this.keys.push(priority);
      this.vals.push(item);
      this.siftUp(n);
    } else if (n > 0 && priority < this.keys[0]!) {
      this.keys[0] = priority;
      this.vals[0] = item;
      this.siftDown(0);
    }
  }

  /** The kept items, lowest priority first (a deterministic order). */
  sorted(): T[] {
    const idx = this.keys.map((_, i) => i).sort((a, b) => this.keys[a]! - this.keys[b]!);
    return idx.map((i) => this.vals[i]!);
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i]!, v = this.vals[i]!;
    this.keys[i] = this.keys[j]!;
    this.vals[i] = this.vals[j]!;
    this.keys[j] = k;
    this.vals[j] = v;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! >= this.keys[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }

  private siftDown(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && this.keys[l]! > this.keys[m]!) m = l;
      if (r < n && this.keys[r]! > this.keys[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
