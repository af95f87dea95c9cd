import type { Trial } from '../../core/types.ts';
import { admissibility, type Study } from '../../dse/load-study.ts';
import { createSearcher } from '../../search/registry.ts';
import type { SearcherFactory, SearcherOptions } from '../../search/searcher.ts';
import { Space } from '../../search/space.ts';
import { INADMISSIBLE, OK, trialAt, type TruthTable } from './truth-table.ts';

export interface SearchRunOptions {
  algorithm: string;
  seed: number;
  budget: number;
  /** Designs per ask (the study's search.batchSize, capped at the budget as dse run does). */
  batchSize: number;
  /** The study's search.options. */
  settings?: Record<string, unknown>;
  /** Builds the searcher instead of the registry (tests use it to check the contract checks). */
  create?: SearcherFactory;
}

export interface SearchRunResult {
  /** Designs evaluated (asked and answered). */
  evaluations: number;
  /** Objective vectors of the feasible trials, in ask order. */
  feasible: number[][];
  /** Seconds spent inside the searcher's ask and tell (the lookups excluded). */
  searcherS: number;
}

/**
 * Runs a searcher's ask/tell loop in this thread, answering every asked design from the truth
 * table: the trial is the one the cost model gives that design, and the searcher sees nothing
 * it did not ask for. The loop is dse/run-study.ts's without journal and workers.
 * A searcher breaking its contract (a design outside the space, asked twice, inadmissible, or
 * more than the budget) is an error naming the searcher, not a silently skewed number.
 */
export function runOnTruth(study: Study, table: TruthTable, opts: SearchRunOptions): SearchRunResult {
  const space = new Space(study.parameters, study.fixed);
  if (space.size !== table.size) throw new Error(`truth table has ${table.size} designs, the study's space ${space.size}`);
  const searcher = (opts.create ?? ((o: SearcherOptions) => createSearcher(opts.algorithm, o)))({
    parameters: study.parameters,
    fixed: study.fixed,
    seed: opts.seed,
    budget: opts.budget,
    isAdmissible: admissibility(study),
    settings: opts.settings ?? {},
  });
  const batchSize = Math.max(1, Math.min(opts.batchSize, opts.budget));
  const asked = new Uint8Array(table.size);
  const d = table.objectives.length;
  const feasible: number[][] = [];
  let seq = 0;
  let searcherS = 0;
  for (;;) {
    let t = performance.now();
    const designs = searcher.ask(batchSize);
    searcherS += (performance.now() - t) / 1000;
    if (designs.length === 0) break;
    const where = `${opts.algorithm} (seed ${opts.seed}, budget ${opts.budget})`;
    if (designs.length > batchSize) throw new Error(`${where} returned ${designs.length} designs for ask(${batchSize})`);
    if (seq + designs.length > opts.budget) throw new Error(`${where} asked ${seq + designs.length} designs, more than its budget`);
    const trials: Trial[] = designs.map((design, k) => {
      const v = space.vectorOf(design);
      if (!v) throw new Error(`${where} asked a design outside the space: ${JSON.stringify(design)}`);
      for (const [name, value] of Object.entries(study.fixed)) {
        if (design[name] !== value) throw new Error(`${where} asked a design without the fixed value ${name}=${value}`);
      }
      const index = space.indexOfVector(v);
      if (asked[index]) throw new Error(`${where} asked design ${JSON.stringify(design)} twice`);
      if (table.status[index] === INADMISSIBLE) throw new Error(`${where} asked the inadmissible design ${JSON.stringify(design)}`);
      asked[index] = 1;
      if (table.status[index] === OK) feasible.push(Array.from(table.values.subarray(index * d, index * d + d)));
      return trialAt(table, index, design, seq + k);
    });
    seq += designs.length;
    t = performance.now();
    searcher.tell(trials);
    searcherS += (performance.now() - t) / 1000;
  }
  return { evaluations: seq, feasible, searcherS };
}
