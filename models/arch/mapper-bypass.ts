import type { Architecture } from './types.ts';
import { OPERANDS } from './types.ts';

/**
 * Which operands each level keeps (bypass). A level the architecture restricts (an accel-dse file
 * or preset listing `keeps`) starts from everything it may keep, when one word of each fits; the
 * mapper then only tries dropping operands from it. A level that may keep all three operands (a
 * Timeloop file says nothing about bypass, so every level may keep everything) leaves bypass to
 * the mapper: every subset of operands whose smallest tiles (a word each) fit is a candidate, and
 * the combinations across levels are screened (one cheap tiling each) before the best few are
 * searched in full. Where even a restricted level cannot hold a word of each operand, its largest
 * subsets that fit are candidates. The outermost level keeps everything.
 */
const MAX_COMBINATIONS = 343;

export function keepMask(keeps: readonly string[]): number {
  let m = 0;
  for (const k of keeps) m |= 1 << OPERANDS.indexOf(k as (typeof OPERANDS)[number]);
  return m;
}

function popcount(m: number): number {
  return (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1);
}

/** Candidate keep masks per level (bit o: W=1, I=2, O=4), combined across levels, the architecture's own choice first. */
export function keepCandidates(arch: Architecture): Int32Array[] {
  const perLevel: number[][] = arch.levels.map((lv, li) => {
    const allowed = keepMask(lv.keeps);
    const cap = lv.capacityWords ?? Infinity;
    if (li === 0) return [allowed];
    const subsets: number[] = [];
    if (allowed === 7) {
      // Largest subsets first, so the first combination is "keep what fits".
      for (const size of [3, 2, 1]) for (let m = 7; m >= 1; m--) if (popcount(m) === size && size <= cap) subsets.push(m);
      return subsets;
    }
    if (popcount(allowed) <= cap) return [allowed];
    const size = Math.max(1, Math.min(cap, popcount(allowed)));
    for (let m = 1; m < 8; m++) if ((m & allowed) === m && popcount(m) === size) subsets.push(m);
    return subsets;
  });
  let combos: number[][] = [[]];
  for (const options of perLevel) combos = combos.flatMap((c) => options.map((m) => [...c, m])).slice(0, MAX_COMBINATIONS);
  return combos.map((c) => Int32Array.from(c));
}

export function keptOperands(mask: number): Array<(typeof OPERANDS)[number]> {
  return OPERANDS.filter((_, o) => mask & (1 << o));
}

export function keepsSeveral(mask: number): boolean {
  return popcount(mask) >= 2;
}
