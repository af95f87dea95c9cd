import { DIMS } from './types.ts';
import { isRelevant, RELEVANT_DIMS, tileWords as importedTileWords } from './operand-dims.ts';
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
 * Estimated cost of the loop nest under each of the 6 stationary orders (applied to every level
 * whose order is free), into out[2*s + v]: per level m and operand o it keeps, the tile refills
 * once per iteration of the temporal loops above m down to the innermost one that indexes o (the
 * loops inside it only revisit the same tile), times the energy of moving a word into m. Sliding-
 * window overlap is not subtracted, so input refills are an upper bound.
 */
export function orderEstimates(p: TileProblem, temporal: Float64Array, fixedOrder: ReadonlyArray<ReadonlyArray<number> | null>, out: Float64Array): void {
  const n = p.levels;
  // Weighted tile words per (level, operand), the same under every order.
  for (let m = 1; m < n; m++) {
    for (let d = 0; d < 7; d++) {
      let e = 1;
      for (let l = m; l < n; l++) e *= temporal[l * 7 + d]! * p.spatial[l * 7 + d]!;
      ext[d] = e;
    }
    for (let o = 0; o < 3; o++) weighted[m * 3 + o] = p.keeps[m]! & (1 << o) ? p.weight[m * 3 + o]! * tileWords(o, ext, p.layer.strideW, p.layer.strideH) : 0;
  }
  for (let k = 0; k < 6; k++) {
    const order = STATIONARY_ORDERS[k >> 1]![k & 1]!;
    // One pass outer to inner: before level m's loops, refills[o] holds the refills of o's tile at m
    // (the product of the loop bounds above m down to the innermost one indexing o).
    let total = 0;
    for (let o = 0; o < 3; o++) {
      refills[o] = 1;
      pending[o] = 1;
    }
    for (let li = 0; li < n; li++) {
      if (li > 0) {
        for (let o = 0; o < 3; o++) {
          const w = weighted[li * 3 + o]!;
          if (w !== 0) total += w * refills[o]!;
        }
      }
      if (li === n - 1) break;
      const ord = fixedOrder[li] ?? order;
      for (let j = 0; j < ord.length; j++) {
        const d = ord[j]!;
        const f = temporal[li * 7 + d]!;
        if (f > 1) {
          for (let o = 0; o < 3; o++) {
            pending[o]! *= f;
            if ((REL[o]! >> d) & 1) {
              refills[o]! *= pending[o]!;
              pending[o] = 1;
            }
          }
        }
      }
    }
    out[k] = total;
  }
}

// Module-local copies of the hot imports: V8 does not inline across ES module bindings.
const REL = Int32Array.from(RELEVANT_DIMS);
const tileWords = importedTileWords;
const MAX_LEVELS = 16;
const refills = new Float64Array(3);
const pending = new Float64Array(3);
const ext = new Float64Array(7);
const weighted = new Float64Array(3 * MAX_LEVELS);
