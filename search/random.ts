import { deriveSeed } from '../core/prng.ts';
import { Permutation } from './permutation.ts';
import type { Searcher, SearcherOptions } from './searcher.ts';
import { SequenceSearcher } from './sequence-searcher.ts';
import { Space } from './space.ts';

/**
 * Uniform random sampling without replacement over the whole space: position p of a seeded
 * pseudo-random permutation of the design indexes (search/permutation.ts, O(1) memory) is the
 * p-th design tried. A budget-B run evaluates the first B admissible designs of the
 * permutation; shard i/n takes those at positions p with p % n == i (see SequenceSearcher).
 * The permutation depends only on the study seed, so all shards share it.
 */
export function random(options: SearcherOptions): Searcher {
  const space = new Space(options.parameters, options.fixed);
  const permutation = new Permutation(indexableSize(space), deriveSeed(options.seed, 'random'));
  return new SequenceSearcher('random', options, (p) => permutation.at(p), space);
}

function indexableSize(space: Space): number {
  // designAt raises the user-facing error for spaces beyond 2^53 designs.
  if (!space.indexable) space.designAt(0);
  return space.size;
}
