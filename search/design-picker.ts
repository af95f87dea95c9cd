import { deriveSeed, Prng } from '../core/prng.ts';
import type { Design } from '../core/types.ts';
import { Permutation } from './permutation.ts';
import type { Space } from './space.ts';

/**
 * What adaptive searchers share for choosing new designs: the set of designs already asked
 * (a design is never asked twice), admissibility, a fallback that finds the nearest design
 * not yet asked, and a source of fresh random designs that also tells when the admissible
 * space is exhausted.
 *
 * The fresh source walks a seeded permutation of the space with one cursor that only moves
 * forward: a design skipped because it was already asked or is inadmissible stays so, so a
 * full pass that finds nothing proves every admissible design has been asked. Over a whole
 * run the cursor moves at most once over the space.
 */
export class DesignPicker {
  readonly space: Space;
  private readonly visited = new Set<number | string>();
  private readonly isAdmissibleDesign: ((design: Design) => boolean) | undefined;
  private readonly permutation: Permutation | undefined;
  private readonly prng: Prng;
  private cursor = 0;

  constructor(space: Space, isAdmissible: ((design: Design) => boolean) | undefined, seed: number) {
    this.space = space;
    this.isAdmissibleDesign = isAdmissible;
    this.permutation = space.indexable ? new Permutation(space.size, deriveSeed(seed, 'fresh')) : undefined;
    this.prng = new Prng(deriveSeed(seed, 'fresh-vectors'));
  }

  get askedCount(): number {
    return this.visited.size;
  }

  isAsked(v: readonly number[]): boolean {
    return this.visited.has(this.space.keyOf(v));
  }

  isAdmissible(v: readonly number[]): boolean {
    return !this.isAdmissibleDesign || this.isAdmissibleDesign(this.space.designOf(v));
  }

  /** Not asked yet and admissible. */
  isFree(v: readonly number[]): boolean {
    return !this.isAsked(v) && this.isAdmissible(v);
  }

  /** Records v as asked and returns its design. */
  claim(v: readonly number[]): Design {
    this.visited.add(this.space.keyOf(v));
    return this.space.designOf(v);
  }

  /** A uniformly random free design, or undefined when every admissible design has been asked. */
  fresh(): number[] | undefined {
    if (!this.permutation) {
      // Beyond 2^53 designs the space cannot be exhausted by any run; sample vectors directly.
      for (;;) {
        const v = this.space.radices.map((r) => this.prng.int(r));
        if (this.isFree(v)) return v;
      }
    }
    while (this.cursor < this.space.size) {
      const v = this.space.vectorAt(this.permutation.at(this.cursor));
      if (this.isFree(v)) return v;
      this.cursor++;
    }
    return undefined;
  }

  /**
   * The free design nearest to v (breadth-first over `Space.neighbours`: one ordinal step or
   * one categorical change per hop; ties in stable neighbour order), searching at most
   * `maxExpanded` designs; then a fresh random design. Undefined when the space is exhausted.
   */
  nearestFree(v: readonly number[], maxExpanded = 256): number[] | undefined {
    if (this.isFree(v)) return v.slice();
    const seen = new Set<number | string>([this.space.keyOf(v)]);
    let frontier: (readonly number[])[] = [v];
    let expanded = 0;
    while (frontier.length > 0 && expanded < maxExpanded) {
      const next: number[][] = [];
      for (const u of frontier) {
        for (const w of this.space.neighbours(u)) {
          const k = this.space.keyOf(w);
          if (seen.has(k)) continue;
          seen.add(k);
          if (this.isFree(w)) return w;
          next.push(w);
        }
        if (++expanded >= maxExpanded) break;
      }
      frontier = next;
    }
    return this.fresh();
  }
}
