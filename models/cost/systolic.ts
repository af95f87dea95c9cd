import type { Dataflow } from '../types.ts';

/**
 * Compute cycles of a GEMM-shaped problem on an R x C systolic array, reproducing SCALE-Sim v2
 * (scalesim-project/scale-sim-v2) in its no-stall mode exactly. A conv layer is the GEMM
 * (Npx output pixels) x (K = Fh*Fw*C) x (M filters); a GEMM with m rows, inner k and n columns
 * is the same with Npx = m, K = k, M = n.
 *
 * The operand matrix the dataflow lays on the array has Sr rows (spatial, mapped to array
 * rows), Sc columns (spatial, array columns) and T steps in time:
 *   os: (Sr, Sc, T) = (Npx, M, K); ws: (K, M, Npx); is: (K, Npx, M).
 * It is cut into ceil(Sr/R) * ceil(Sc/C) folds run one after another; a fold takes
 * R + C + T - 2 cycles (os) or 2R + C + T - 2 (ws, is: the stationary operand is loaded first).
 * SCALE-Sim reports the zero-based index of the last cycle, i.e. this count minus one.
 */
export interface SystolicResult {
  /** folds * cyclesPerFold (SCALE-Sim's reported total_cycles + 1). */
  computeCycles: number;
  folds: number;
  /** Sum over folds of the PEs a fold uses (= Sr * Sc); mapping efficiency = usedPeFolds / (folds * R * C). */
  usedPeFolds: number;
  /** SRAM reads in words, as SCALE-Sim's trace counts them (see sramCounts). */
  ifmapReads: number;
  filterReads: number;
  /** Output words written by the array to the ofmap SRAM (partial sums included). */
  ofmapWrites: number;
  /** Partial sums read back from the ofmap SRAM to accumulate (not counted by SCALE-Sim). */
  ofmapReads: number;
}

export function systolicGemm(npx: number, k: number, m: number, rows: number, cols: number, dataflow: Dataflow): SystolicResult {
  let sr: number;
  let sc: number;
  let t: number;
  if (dataflow === 'os') {
    sr = npx; sc = m; t = k;
  } else if (dataflow === 'ws') {
    sr = k; sc = m; t = npx;
  } else {
    sr = k; sc = npx; t = m;
  }
  const rowFolds = Math.ceil(sr / rows);
  const colFolds = Math.ceil(sc / cols);
  const folds = rowFolds * colFolds;
  const perFold = dataflow === 'os' ? rows + cols + t - 2 : 2 * rows + cols + t - 2;
  // SRAM words per fold, summed over folds (these equal SCALE-Sim v2's trace counts):
  //   os: each fold streams its Sr-rows of the ifmap and its Sc-columns of filters for T steps;
  //       outputs leave once (SCALE-Sim adds a per-fold drain artefact to ofmap writes that we do not copy).
  //   ws: filters are read once (stationary); ifmap streamed once per column fold; each row fold
  //       (a slice of K) writes a partial sum of every output.
  //   is: ifmap read once (stationary); filters streamed once per column fold; partial sums per row fold.
  let ifmapReads: number;
  let filterReads: number;
  let ofmapWrites: number;
  let ofmapReads: number;
  if (dataflow === 'os') {
    ifmapReads = npx * k * colFolds;
    filterReads = m * k * rowFolds;
    ofmapWrites = npx * m;
    ofmapReads = 0;
  } else if (dataflow === 'ws') {
    ifmapReads = npx * k * colFolds;
    filterReads = k * m;
    ofmapWrites = npx * m * rowFolds;
    ofmapReads = npx * m * (rowFolds - 1);
  } else {
    ifmapReads = k * npx;
    filterReads = m * k * colFolds;
    ofmapWrites = npx * m * rowFolds;
    ofmapReads = npx * m * (rowFolds - 1);
  }
  return { computeCycles: folds * perFold, folds, usedPeFolds: sr * sc, ifmapReads, filterReads, ofmapWrites, ofmapReads };
}

/** Mapping efficiency of one result (mean fraction of the array folds use). */
export function mappingEfficiency(r: { folds: number; usedPeFolds: number }, rows: number, cols: number): number {
  return r.folds === 0 ? 0 : r.usedPeFolds / (r.folds * rows * cols);
}

/**
 * A result scaled by `factor`: a repeat count (independent copies run back to back: groups,
 * batched matmuls, heads) or the computed fraction of a causal problem;
 * cycles round up to whole cycles, counts stay fractional averages.
 */
export function scaleResult(r: SystolicResult, factor: number): SystolicResult {
  return {
    computeCycles: Math.ceil(r.computeCycles * factor),
    folds: r.folds * factor,
    usedPeFolds: r.usedPeFolds * factor,
    ifmapReads: r.ifmapReads * factor,
    filterReads: r.filterReads * factor,
    ofmapWrites: r.ofmapWrites * factor,
    ofmapReads: r.ofmapReads * factor,
  };
}

/** Two results run one after the other (e.g. Q K^T then S V). */
export function addResults(a: SystolicResult, b: SystolicResult): SystolicResult {
  return {
    computeCycles: a.computeCycles + b.computeCycles,
    folds: a.folds + b.folds,
    usedPeFolds: a.usedPeFolds + b.usedPeFolds,
    ifmapReads: a.ifmapReads + b.ifmapReads,
    filterReads: a.filterReads + b.filterReads,
    ofmapWrites: a.ofmapWrites + b.ofmapWrites,
    ofmapReads: a.ofmapReads + b.ofmapReads,
  };
}

/**
 * A conv layer on the array. Batch folds into the pixel dimension (Npx = batch * outH * outW);
 * grouped and depthwise convs run group by group (a systolic array has no native depthwise
 * mode, so a depthwise layer uses one column: this is the known weakness of such arrays).
 */
export function systolicConv(
  op: { batch: number; inC: number; outC: number; kH: number; kW: number; groups: number },
  outH: number,
  outW: number,
  rows: number,
  cols: number,
  dataflow: Dataflow,
): SystolicResult {
  const npx = op.batch * outH * outW;
  const k = (op.inC / op.groups) * op.kH * op.kW;
  const m = op.outC / op.groups;
  return scaleResult(systolicGemm(npx, k, m, rows, cols, dataflow), op.groups);
}

/** `count` independent GEMMs C[m,n] = A[m,k] B[k,n] back to back. */
export function systolicMatmul(m: number, n: number, k: number, count: number, rows: number, cols: number, dataflow: Dataflow): SystolicResult {
  return scaleResult(systolicGemm(m, k, n, rows, cols, dataflow), count);
}
