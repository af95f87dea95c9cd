import { DseError } from '../core/errors.ts';
import { grid } from './grid.ts';
import { marl } from './marl.ts';
import { nsga2 } from './nsga2.ts';
import { random } from './random.ts';
import type { Searcher, SearcherFactory, SearcherOptions } from './searcher.ts';
import { surrogate } from './surrogate.ts';

const FACTORIES: Record<string, SearcherFactory> = { random, grid, nsga2, marl, surrogate };

/** Names accepted by `search.algorithm`. */
export const SEARCH_ALGORITHMS: readonly string[] = Object.freeze(Object.keys(FACTORIES));

/**
 * The searcher named by `search.algorithm`. Settings (`search.options`) are validated by the
 * searcher; an unknown algorithm or setting is a DseError naming the field.
 */
export function createSearcher(algorithm: string, options: SearcherOptions): Searcher {
  const factory = Object.hasOwn(FACTORIES, algorithm) ? FACTORIES[algorithm] : undefined;
  if (!factory) {
    throw new DseError('unknown_algorithm', `unknown search algorithm '${algorithm}'; expected one of ${SEARCH_ALGORITHMS.join(', ')}`, {
      path: 'search.algorithm',
    });
  }
  if (!Number.isSafeInteger(options.budget) || options.budget < 0) {
    throw new DseError('invalid_field', `budget must be a whole number >= 0, got ${options.budget}`, { path: 'search.budget' });
  }
  return factory(options);
}
