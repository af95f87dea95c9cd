import type { Study } from '../../dse/load-study.ts';
import { frontQuality, summarize, type FrontQuality, type Summary, type TrueFront } from './quality.ts';
import { runOnTruth } from './run-on-truth.ts';
import type { TruthTable } from './truth-table.ts';

export interface ExperimentPlan {
  algorithms: string[];
  /** Seeds of the independent runs (the same seeds for every searcher and budget). */
  seeds: number[];
  /** Evaluation budgets; each budget is its own run from scratch, never a prefix of a longer one. */
  budgets: number[];
  batchSize: number;
  settings?: Record<string, unknown>;
}

export interface RunRecord extends FrontQuality {
  algorithm: string;
  budget: number;
  seed: number;
  evaluations: number;
  searcherS: number;
}

export interface Cell {
  algorithm: string;
  budget: number;
  runs: RunRecord[];
  hvRatio: Summary;
  igdPlus: Summary;
  frontSize: Summary;
  searcherS: Summary;
}

/** Runs every searcher, budget and seed of the plan against the truth table. */
export function runExperiment(
  study: Study,
  table: TruthTable,
  truth: TrueFront,
  plan: ExperimentPlan,
  onRun?: (r: RunRecord) => void,
): Cell[] {
  const cells: Cell[] = [];
  for (const algorithm of plan.algorithms) {
    for (const budget of plan.budgets) {
      const runs: RunRecord[] = [];
      for (const seed of plan.seeds) {
        const run = runOnTruth(study, table, { algorithm, seed, budget, batchSize: plan.batchSize, ...(plan.settings ? { settings: plan.settings } : {}) });
        const r: RunRecord = { algorithm, budget, seed, evaluations: run.evaluations, searcherS: run.searcherS, ...frontQuality(run.feasible, truth) };
        runs.push(r);
        onRun?.(r);
      }
      cells.push({
        algorithm,
        budget,
        runs,
        hvRatio: summarize(runs.map((r) => r.hvRatio)),
        igdPlus: summarize(runs.map((r) => r.igdPlus)),
        frontSize: summarize(runs.map((r) => r.frontSize)),
        searcherS: summarize(runs.map((r) => r.searcherS)),
      });
    }
  }
  return cells;
}

export function cellOf(cells: readonly Cell[], algorithm: string, budget: number): Cell | undefined {
  return cells.find((c) => c.algorithm === algorithm && c.budget === budget);
}
