import type { Mapping } from './types.ts';

/**
 * A mapping as flat typed arrays: what the mapping model reads, and what a caller that costs many
 * mappings (the mapper) fills in place instead of building `Mapping` objects for each.
 *
 * Loops 0..count-1, outermost first: level 0 (the outermost storage level) first; within a level
 * its temporal loops outer to inner, then its spatial loops. `level` must not decrease along the
 * list. Loops of factor 1 may be present (they change nothing).
 */
export interface LoopNest {
  count: number;
  /** Dim index (0..6, as DIMS: N C K P Q R S). */
  dim: Int32Array;
  factor: Float64Array;
  /** 1 for a spatial loop, 0 for a temporal one. */
  spatial: Uint8Array;
  /** Storage level index of the loop (0 = outermost). */
  level: Int32Array;
  /** Per level: the operands it keeps under this mapping, bits W=1, I=2, O=4. */
  keepMask: Int32Array;
}

/** Room for 16 levels of 7 temporal and 7 spatial loops each. */
export const MAX_LOOPS = 224;
export const MAX_LEVELS = 16;

export function createLoopNest(): LoopNest {
  return {
    count: 0,
    dim: new Int32Array(MAX_LOOPS),
    factor: new Float64Array(MAX_LOOPS),
    spatial: new Uint8Array(MAX_LOOPS),
    level: new Int32Array(MAX_LOOPS),
    keepMask: new Int32Array(MAX_LEVELS),
  };
}

/** Writes `mapping` into `nest` (factor-1 loops left out) and returns it. */
export function nestFromMapping(mapping: Mapping, nest: LoopNest = createLoopNest()): LoopNest {
  let n = 0;
  const levels = mapping.levels;
  if (levels.length > MAX_LEVELS) throw new RangeError(`a mapping has more than ${MAX_LEVELS} levels`);
  for (let li = 0; li < levels.length; li++) {
    const lv = levels[li]!;
    const keeps = lv.keeps;
    let mask = 0;
    for (let k = 0; k < keeps.length; k++) mask |= keeps[k] === 'W' ? 1 : keeps[k] === 'I' ? 2 : 4;
    nest.keepMask[li] = mask;
    for (let s = 0; s < 2; s++) {
      const loops = s === 0 ? lv.temporal : lv.spatial;
      for (let k = 0; k < loops.length; k++) {
        const l = loops[k]!;
        if (l.factor === 1) continue;
        if (n === MAX_LOOPS) throw new RangeError(`a mapping has more than ${MAX_LOOPS} loops`);
        nest.dim[n] = l.dim;
        nest.factor[n] = l.factor;
        nest.spatial[n] = s;
        nest.level[n] = li;
        n++;
      }
    }
  }
  nest.count = n;
  return nest;
}
