import { DIMS, type Dim } from './types.ts';

/**
 * Which problem dims index which operand (Timeloop's cnn-layer data spaces): Weights[C,K,R,S],
 * Inputs[N, C, stride*P + R, stride*Q + S], Outputs[N,K,P,Q]. A loop over a dim that does not
 * index an operand reuses that operand's tile (the loop is "irrelevant" to it): the mapper's whole
 * reasoning about reuse and loop order rests on these masks. Bit d = DIMS[d]; operand order W I O.
 */
const mask = (dims: Dim[]): number => dims.reduce((m, d) => m | (1 << DIMS.indexOf(d)), 0);

export const RELEVANT_DIMS: readonly number[] = [mask(['C', 'K', 'R', 'S']), mask(['N', 'C', 'P', 'Q', 'R', 'S']), mask(['N', 'K', 'P', 'Q'])];

export function isRelevant(operand: number, dim: number): boolean {
  return ((RELEVANT_DIMS[operand]! >> dim) & 1) === 1;
}

/**
 * Words of operand o (0 W, 1 I, 2 O) in a tile with loop extents ext (indexed by dim): the
 * bounding boxes of the cnn-layer data spaces above, as mapping-model.ts's operandTileWords
 * computes them (a test checks they agree), written out for the mapper's inner loop.
 */
export function tileWords(o: number, ext: Float64Array, strideW: number, strideH: number): number {
  if (o === 0) return ext[1]! * ext[2]! * ext[5]! * ext[6]!;
  if (o === 2) return ext[0]! * ext[2]! * ext[3]! * ext[4]!;
  return ext[0]! * ext[1]! * ((ext[3]! - 1) * strideW + ext[5]!) * ((ext[4]! - 1) * strideH + ext[6]!);
}
