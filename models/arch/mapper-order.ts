import { DIMS } from './types.ts';
import { isRelevant } from './operand-dims.ts';
import { operandTileWords } from './mapping-model.ts';
import type { TileProblem } from './mapper-tiles.ts';

/**
 * Loop orders for levels whose order the architecture leaves free. A level's temporal loops reuse
 * an operand's tile below them only while the loops stepping are irrelevant to it, so the order is
 * chosen by which operand should stay put ("stationary"): the dims irrelevant to it go innermost
 * (weights: N P Q; inputs: K; outputs: C R S). The other two groups can go either way round; the
 * middle group is reused too whenever the innermost group's factors are all 1 at that level.
 * Order within a group: DIMS order (N C K P Q R S), so P sits outside R, as Timeloop prints.
 */
function group(operand: number, taken: Set<number>): number[] {
  const g: number[] = [];
  for (let d = 0; d < DIMS.length; d++) if (!isRelevant(operand, d) && !taken.has(d)) g.push(d);
  for (const d of g) taken.add(d);
  return g;
}

function build(inner: number, middle: number, outer: number): number[] {
  const taken = new Set<number>();
  const gi = group(inner, taken);
  const gm = group(middle, taken);
  const go = group(outer, taken);
  const rest: number[] = [];
  for (let d = 0; d < DIMS.length; d++) if (!taken.has(d)) rest.push(d);
  return [...rest, ...go, ...gm, ...gi];
}

/** STATIONARY_ORDERS[s][v]: outer-to-inner dim order keeping operand s (W I O) stationary, variant v of 2. */
export const STATIONARY_ORDERS: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>> = [0, 1, 2].map((s) => {
  const [a, b] = [0, 1, 2].filter((o) => o !== s) as [number, number];
  return [build(s, a, b), build(s, b, a)];
});

/**
 * Estimated cost of the loop nest under one of the 6 stationary orders (applied to every level
 * whose order is free): per level m and operand o it keeps, the tile refills once per iteration of
 * the temporal loops above m down to the innermost one that indexes o (the loops inside it only
 * revisit the same tile), times the energy (or time) of moving a word into m. Sliding-window
 * overlap is not subtracted, so input refills are an upper bound.
 */
export function orderEstimate(p: TileProblem, temporal: Float64Array, fixedOrder: ReadonlyArray<ReadonlyArray<number> | null>, order: ReadonlyArray<number>): number {
  const n = p.levels;
  let k = 0;
  for (let li = 0; li < n; li++) {
    const ord = fixedOrder[li] ?? order;
    for (const d of ord) {
      const f = temporal[li * 7 + d]!;
      if (f > 1) {
        loopDim[k] = d;
        loopFactor[k] = f;
        loopLevel[k++] = li;
      }
    }
  }
  let total = 0;
  for (let m = 1; m < n; m++) {
    if (p.keeps[m] === 0) continue;
    for (let d = 0; d < 7; d++) {
      let e = 1;
      for (let l = m; l < n; l++) e *= temporal[l * 7 + d]! * p.spatial[l * 7 + d]!;
      ext[d] = e;
    }
    for (let o = 0; o < 3; o++) {
      if (!(p.keeps[m]! & (1 << o))) continue;
      let inner = -1;
      for (let j = 0; j < k && loopLevel[j]! < m; j++) if (isRelevant(o, loopDim[j]!)) inner = j;
      let count = 1;
      for (let j = 0; j <= inner; j++) count *= loopFactor[j]!;
      total += p.weight[m * 3 + o]! * operandTileWords(o, ext, p.layer) * count;
    }
  }
  return total;
}

const loopDim = new Int32Array(7 * 16);
const loopFactor = new Float64Array(7 * 16);
const loopLevel = new Int32Array(7 * 16);
const ext = new Float64Array(7);
