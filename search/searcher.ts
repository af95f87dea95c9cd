import type { Design, Parameter, Trial } from '../core/types.ts';

/**
 * The one interface every search algorithm implements. A searcher knows the space, a seed
 * and a budget; it knows nothing of workers, files or the cost model.
 *
 * Contract (checked by test/search/conformance.test.ts):
 * - `ask(n)` returns at most n designs, each inside the space and admissible, none asked before,
 *   never more in total than the budget; an empty array means the searcher is finished.
 * - `tell(trials)` receives the outcomes of the last `ask`, in the same order (failed and
 *   infeasible trials included).
 * - The same options and the same sequence of tells give the same asks (no hidden randomness).
 */
export interface Searcher {
  readonly name: string;
  ask(n: number): Design[];
  tell(trials: Trial[]): void;
}

export interface SearcherOptions {
  parameters: Parameter[];
  /** Values of parameters that are not searched; merged into every design. */
  fixed: Record<string, number | string>;
  seed: number;
  /** Maximum number of designs to ask for in total. */
  budget: number;
  /** Design-only constraints (e.g. a PE budget); designs failing it are never asked. */
  isAdmissible?: (design: Design) => boolean;
  /**
   * This run's slice of the study. `grid` and `random` evaluate exactly their share of the
   * designs the unsharded run would (merged shards equal the single run); adaptive searchers
   * run as independent islands seeded with deriveSeed(seed, 'shard', index).
   */
  shard?: { index: number; count: number };
  /** Algorithm-specific settings from the study's `search.options`. */
  settings?: Record<string, unknown>;
}

export type SearcherFactory = (options: SearcherOptions) => Searcher;
