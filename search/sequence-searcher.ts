import { z } from 'zod';
import type { Design } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import type { Searcher, SearcherOptions } from './searcher.ts';
import { Space } from './space.ts';

/**
 * A non-adaptive searcher that walks a fixed order of the space: position p = 0, 1, 2, ...
 * maps to the design with index `order(p)`. Shared by `grid` (identity order) and `random`
 * (a seeded permutation).
 *
 * Which designs a run evaluates, exactly: walk the positions in order, skip designs that fail
 * `isAdmissible`, and stop after the first `budget` admissible ones (or at the end of the
 * space). `budget` is the whole study's budget. Shard i of n evaluates those of these designs
 * whose position p has p % n == i; every shard walks the same positions (checking
 * admissibility of the others' too, which is cheap next to an evaluation) so that it knows
 * where the unsharded run would stop. The shards therefore partition the unsharded run's
 * designs exactly, and merging them gives the single run.
 */
export class SequenceSearcher implements Searcher {
  readonly name: string;
  private readonly space: Space;
  private readonly order: (position: number) => number;
  private readonly budget: number;
  private readonly isAdmissible: ((design: Design) => boolean) | undefined;
  private readonly shardIndex: number;
  private readonly shardCount: number;
  private position = 0;
  /** Admissible designs passed so far, over all shards' positions. */
  private admissiblePassed = 0;

  constructor(name: string, options: SearcherOptions, order: (position: number) => number, space?: Space) {
    this.name = name;
    validate(z.strictObject({}), options.settings ?? {}, { pathPrefix: 'search.options' }); // no settings
    this.space = space ?? new Space(options.parameters, options.fixed);
    this.order = order;
    this.budget = options.budget;
    this.isAdmissible = options.isAdmissible;
    this.shardIndex = options.shard?.index ?? 0;
    this.shardCount = options.shard?.count ?? 1;
  }

  ask(n: number): Design[] {
    const out: Design[] = [];
    while (out.length < n && this.admissiblePassed < this.budget && this.position < this.space.size) {
      const p = this.position++;
      const design = this.space.designAt(this.order(p));
      if (this.isAdmissible && !this.isAdmissible(design)) continue;
      this.admissiblePassed++;
      if (p % this.shardCount === this.shardIndex) out.push(design);
    }
    return out;
  }

  tell(): void {
    // Non-adaptive: outcomes do not change the order.
  }
}
