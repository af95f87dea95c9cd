import type { SearcherOptions } from './searcher.ts';

/**
 * The budget of one island. Adaptive searchers (nsga2, marl, surrogate) do not split one
 * sequence of designs between shards: each shard runs an independent island (the study loop
 * seeds it with deriveSeed(seed, 'shard', index)). `budget` is the whole study's budget, so
 * shard i of n asks floor(B / n) designs, plus one for the first B mod n shards: the islands
 * together ask exactly B (designs two islands both ask merge by hash).
 */
export function islandBudget(options: SearcherOptions): number {
  const count = options.shard?.count ?? 1;
  const index = options.shard?.index ?? 0;
  return Math.floor(options.budget / count) + (index < options.budget % count ? 1 : 0);
}
