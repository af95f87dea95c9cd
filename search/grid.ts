import type { Searcher, SearcherOptions } from './searcher.ts';
import { SequenceSearcher } from './sequence-searcher.ts';
import { Space } from './space.ts';

/**
 * Every design in mixed-radix order (the first parameter varies slowest, the last fastest;
 * search/space.ts). A budget-B run evaluates the first B admissible designs of that order,
 * so a budget below the space size covers a corner of it; shard i/n takes those at
 * positions p with p % n == i (see SequenceSearcher).
 */
export function grid(options: SearcherOptions): Searcher {
  const space = new Space(options.parameters, options.fixed);
  if (!space.indexable) space.designAt(0); // raises the user-facing error for spaces beyond 2^53 designs
  return new SequenceSearcher('grid', options, (p) => p, space);
}
