import type { EltwiseFn, PoolOp } from '../types.ts';

/**
 * The vector unit that runs pooling, element-wise ops and softmax: `peCols` lanes (one per array
 * column, fed by the same output buses), each doing one add/compare or one multiply per cycle.
 * Transcendentals are costed as the few adds and multiplies of a table-plus-polynomial
 * approximation; these counts are modelling choices, listed in docs/COST_MODEL.md.
 */
export interface VectorWork {
  adds: number;
  muls: number;
}

/** Adds and multiplies per output element. */
export const ELTWISE_OPS: Readonly<Record<EltwiseFn, VectorWork>> = Object.freeze({
  add: { adds: 1, muls: 0 },
  mul: { adds: 0, muls: 1 },
  relu: { adds: 1, muls: 0 }, // one compare
  relu6: { adds: 2, muls: 0 }, // two compares
  // 0.5 x (1 + tanh(0.7978845608 (x + 0.044715 x^3))), tanh by a rational approximation
  gelu: { adds: 3, muls: 5 },
  // x * sigmoid(x): exp from a table with linear interpolation, reciprocal by one Newton step
  silu: { adds: 2, muls: 3 },
  // mean and mean of squares (2 accumulations), then (x - mean) * rstd * gamma + beta
  layernorm: { adds: 3, muls: 3 },
  // mean of squares (1 accumulation), then x * rstd * gamma (no mean, no bias)
  rmsnorm: { adds: 1, muls: 3 },
  // rotary position embedding: x cos + rotate_half(x) sin (sin/cos from a table)
  rotary: { adds: 1, muls: 2 },
  // running max, subtract, exp (table + interpolation), running sum, multiply by 1/sum
  softmax: { adds: 3, muls: 3 },
  // a copy into the joined tensor: data movement only
  concat: { adds: 0, muls: 0 },
});

export function eltwiseWork(fn: EltwiseFn, elements: number): VectorWork {
  const w = ELTWISE_OPS[fn];
  return { adds: w.adds * elements, muls: w.muls * elements };
}

/** Pooling: one compare (max) or add (avg) per window element, plus one scale per output for avg. */
export function poolWork(op: PoolOp, outElements: number): VectorWork {
  const window = op.kH * op.kW;
  return op.mode === 'max' ? { adds: outElements * window, muls: 0 } : { adds: outElements * window, muls: outElements };
}

/** Cycles the vector unit takes for some work on `lanes` lanes. */
export function vectorCycles(w: VectorWork, lanes: number): number {
  return Math.ceil((w.adds + w.muls) / lanes);
}
