import type { LayerShape, Operand } from './types.ts';

/**
 * How each operand's coordinates depend on the loop dims (Timeloop's cnn-layer problem shape):
 * Weights[C,K,R,S], Inputs[N, C, Wstride*P + R, Hstride*Q + S], Outputs[N,K,P,Q]. Each coordinate
 * is a list of (dim index, coefficient); its extent over a box of loop extents e is
 * sum(coef * (e[dim] - 1)) + 1, the bounding box Timeloop's point sets use.
 */
export type Coordinate = ReadonlyArray<readonly [dim: number, coef: number]>;

const N = 0, C = 1, K = 2, P = 3, Q = 4, R = 5, S = 6;

export function operandCoordinates(op: Operand, layer: LayerShape): Coordinate[] {
  switch (op) {
    case 'W':
      return [[[C, 1]], [[K, 1]], [[R, 1]], [[S, 1]]];
    case 'I':
      return [[[N, 1]], [[C, 1]], [[P, layer.strideW], [R, 1]], [[Q, layer.strideH], [S, 1]]];
    case 'O':
      return [[[N, 1]], [[K, 1]], [[P, 1]], [[Q, 1]]];
  }
}

/** Dims an operand's coordinates depend on, as a bit mask over DIMS indices. */
export function relevantDimMask(coords: Coordinate[]): number {
  let mask = 0;
  for (const c of coords) for (const [d] of c) mask |= 1 << d;
  return mask;
}

/** Number of points in the box of the operand spanned by loop extents `ext` (indexed by dim). */
export function boxSize(coords: Coordinate[], ext: ArrayLike<number>): number {
  let size = 1;
  for (const c of coords) {
    let e = 1;
    for (const [d, coef] of c) e += coef * (ext[d]! - 1);
    size *= e;
  }
  return size;
}
