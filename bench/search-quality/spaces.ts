import { fileURLToPath } from 'node:url';

/** A reference space of the benchmark and the budgets its searchers get. */
export interface BenchSpace {
  id: 'small' | 'large';
  /** Study file (configs/bench/...). */
  file: string;
  /** Committed true front, checked against the recomputed one on every run (large space only). */
  referenceFront?: string;
  /** Evaluation budgets for a space of `size` designs. */
  budgets(size: number, quick: boolean): number[];
  /** How the budgets were chosen, for the report. */
  budgetRule: string;
}

const configs = (name: string): string => fileURLToPath(new URL(`../../configs/bench/${name}`, import.meta.url));

/** Shares of the small space every searcher gets: 0.5%, 1%, 2% and 5%. */
export const SMALL_SHARES = [0.005, 0.01, 0.02, 0.05] as const;

export const SPACES: Record<'small' | 'large', BenchSpace> = {
  small: {
    id: 'small',
    file: configs('small.yaml'),
    budgets: (size, quick) => (quick ? [0.01, 0.05] : SMALL_SHARES).map((s) => Math.round(s * size)),
    budgetRule: '0.5%, 1%, 2% and 5% of the space (rounded)',
  },
  large: {
    id: 'large',
    file: configs('large.yaml'),
    referenceFront: configs('large.front.json'),
    budgets: (_size, quick) => (quick ? [1000, 5000] : [1000, 2000, 5000, 10000]),
    budgetRule: '1,000, 2,000, 5,000 and 10,000 evaluations',
  },
};

/** Searchers compared (grid is the exhaustive truth itself; a budget below the space only covers a corner of it). */
export const BENCH_ALGORITHMS = ['random', 'nsga2', 'marl', 'surrogate'] as const;
