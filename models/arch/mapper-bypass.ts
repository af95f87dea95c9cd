import type { Architecture } from './types.ts';
import { OPERANDS } from './types.ts';

/**
 * Which operands each level keeps (bypass), first guess: every operand the architecture lets the
 * level keep, when one word of each fits (a smallest tile); where they do not (a Timeloop file
 * lets every level keep everything, but a one-word register cannot hold three operands), every
 * largest subset that fits is a candidate, and the mapper searches each combination across levels.
 * The outermost level keeps everything. The mapper then tries dropping operands from levels that
 * keep several (bypass to the parent frees capacity and saves the fill and read energy where the
 * level gives an operand no reuse) and keeps a drop when the exact model says it is better.
 */
const MAX_COMBINATIONS = 27;

export function keepMask(keeps: readonly string[]): number {
  let m = 0;
  for (const k of keeps) m |= 1 << OPERANDS.indexOf(k as (typeof OPERANDS)[number]);
  return m;
}

function popcount(m: number): number {
  return (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1);
}

/** Candidate keep masks per level (bit o: W=1, I=2, O=4), combined across levels; at most MAX_COMBINATIONS. */
export function keepCandidates(arch: Architecture): Int32Array[] {
  const perLevel: number[][] = arch.levels.map((lv, li) => {
    const allowed = keepMask(lv.keeps);
    const cap = lv.capacityWords;
    if (li === 0 || cap === null || popcount(allowed) <= cap) return [allowed];
    const size = Math.max(1, Math.min(cap, popcount(allowed)));
    const subsets: number[] = [];
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
