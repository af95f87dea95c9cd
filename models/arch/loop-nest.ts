import type { Mapping } from './types.ts';

/** Room for 64 loops (the mapping strings and mapper produce at most 14 per level). */
export const MAX_LOOPS = 64;
export const MAX_LEVELS = 16;
/**
 * data[0]: loop count; data[1] and data[2]: the keep masks of levels 0-9 and 10-15, 3 bits each
 * (a small header: the whole nest of a typical mapping fits in two cache lines); then two entries
 * per loop.
 */
export const NEST_HEADER = 3;
/** Levels whose keep masks share one header entry. */
export const KEEPS_PER_ENTRY = 10;
const MAX_FACTOR = 0x7fffffff;

/**
 * A mapping packed into one small Int32Array: what the mapping model reads (costNest), and what
 * a caller that costs many mappings (the mapper) fills in place instead of building `Mapping`
 * objects. One contiguous block rather than an object tree, because reaching the mapping is much
 * of an evaluation's cost when the mappings are not in cache.
 *
 * Loops outermost first: level 0 (the outermost storage level) first; within a level its temporal
 * loops outer to inner, then its spatial loops (the order of Mapping). Loop j is
 * data[NEST_HEADER + 2j] = dim | spatial << 3 | level << 4 (dim as in DIMS: N C K P Q R S = 0..6)
 * and data[NEST_HEADER + 2j + 1] = its factor. Factor-1 loops may be added (they change nothing).
 */
export class LoopNest {
  readonly data = new Int32Array(NEST_HEADER + 2 * MAX_LOOPS);

  get count(): number {
    return this.data[0]!;
  }

  /** Empties the nest (keep masks included) for the next mapping. */
  clear(): this {
    this.data.fill(0, 0, NEST_HEADER);
    return this;
  }

  /** Operands kept at `level` under this mapping: bits W=1, I=2, O=4. */
  keeps(level: number, mask: number): this {
    if (level < 0 || level >= MAX_LEVELS) throw new RangeError(`level ${level} outside 0..${MAX_LEVELS - 1}`);
    if (mask < 0 || mask > 7) throw new RangeError(`keep mask ${mask} outside 0..7`);
    const entry = 1 + Math.floor(level / KEEPS_PER_ENTRY);
    const shift = 3 * (level % KEEPS_PER_ENTRY);
    this.data[entry] = (this.data[entry]! & ~(7 << shift)) | (mask << shift);
    return this;
  }

  /** The keep mask of `level`. */
  kept(level: number): number {
    return (this.data[1 + Math.floor(level / KEEPS_PER_ENTRY)]! >> (3 * (level % KEEPS_PER_ENTRY))) & 7;
  }

  /** Appends a loop; loops must come outermost first (levels in order, a level's temporal loops before its spatial ones). */
  loop(level: number, dim: number, factor: number, spatial: boolean): this {
    const n = this.data[0]!;
    if (n === MAX_LOOPS) throw new RangeError(`a mapping has more than ${MAX_LOOPS} loops`);
    if (!(factor >= 1 && factor <= MAX_FACTOR)) throw new RangeError(`loop factor ${factor} outside 1..${MAX_FACTOR}`);
    if (level < 0 || level >= MAX_LEVELS) throw new RangeError(`level ${level} outside 0..${MAX_LEVELS - 1}`);
    this.data[NEST_HEADER + 2 * n] = dim | (spatial ? 8 : 0) | (level << 4);
    this.data[NEST_HEADER + 2 * n + 1] = factor;
    this.data[0] = n + 1;
    return this;
  }
}

/** The loop nest of `mapping` (factor-1 loops left out), written into `nest` (cleared first). */
export function nestFromMapping(mapping: Mapping, nest: LoopNest = new LoopNest()): LoopNest {
  nest.clear();
  mapping.levels.forEach((lv, li) => {
    nest.keeps(li, lv.keeps.reduce((m, op) => m | (op === 'W' ? 1 : op === 'I' ? 2 : 4), 0));
    for (const l of lv.temporal) if (l.factor > 1) nest.loop(li, l.dim, l.factor, false);
    for (const l of lv.spatial) if (l.factor > 1) nest.loop(li, l.dim, l.factor, true);
  });
  return nest;
}
