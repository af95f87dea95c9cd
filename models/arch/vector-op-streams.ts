import { convOutHW } from '../op-size.ts';
import { eltwiseWork, poolWork } from '../cost/vector-ops.ts';
import type { AttentionOp, EltwiseFn, EltwiseOp, EmbeddingOp, PoolOp, Workload } from '../types.ts';
import type { VectorStream } from './vector-op-cost.ts';

/**
 * What each op without MACs streams through an architecture (models/arch/vector-op-cost.ts costs
 * it): element ops from the flat model's counts (models/cost/vector-ops.ts), words in and out,
 * the lanes' reads and the working set that must stay on chip for one pass over DRAM.
 */

/** Normalisations: a statistics pass over a row, then a normalising pass, so the row stays on chip and is read twice. */
const ROW_WISE: ReadonlySet<EltwiseFn> = new Set<EltwiseFn>(['layernorm', 'rmsnorm', 'softmax']);

/** Pooling: the input read once from DRAM; each window element read by the lanes; a band of kH input rows of one channel kept for the windows' overlap. */
export function poolStream(op: PoolOp, lanes: number): VectorStream {
  const { outH, outW } = convOutHW(op);
  const outWords = op.batch * op.channels * outH * outW;
  const inWords = op.batch * op.channels * op.inH * op.inW;
  return {
    work: poolWork(op, outWords),
    inWords,
    laneReadWords: outWords * op.kH * op.kW,
    outWords,
    workingSetWords: Math.max(lanes, op.kH * op.inW),
  };
}

/**
 * An element-wise op: its input tensors and stored parameters (a norm's gain and bias) read once;
 * a normalisation reads its inputs twice from the staging level and keeps one row (the last
 * dimension of its input's shape, or the whole tensor when no shape is known) on chip.
 */
export function eltwiseStream(op: EltwiseOp, workload: Workload, lanes: number): VectorStream {
  let inputWords = 0;
  for (const id of op.inputs) inputWords += workload.tensors[id]?.elements ?? op.elements;
  const paramWords = op.paramElements ?? 0;
  const rowWise = ROW_WISE.has(op.fn);
  const shape = workload.tensors[op.inputs[0] ?? '']?.shape;
  const row = shape !== undefined && shape.length > 0 ? shape[shape.length - 1]! : op.elements;
  return {
    work: eltwiseWork(op.fn, op.elements),
    inWords: inputWords + paramWords,
    laneReadWords: inputWords * (rowWise ? 2 : 1) + paramWords,
    outWords: op.elements,
    workingSetWords: Math.max(lanes, rowWise ? row : 0),
  };
}

/** The softmax of an attention op over its computed scores (batch x heads x pairs): S in, P out, one row of seqKV scores on chip. */
export function attentionSoftmaxStream(op: AttentionOp, computedPairs: number, lanes: number): VectorStream {
  const elements = op.batch * op.heads * computedPairs;
  return {
    work: eltwiseWork('softmax', elements),
    inWords: elements,
    laneReadWords: 2 * elements,
    outWords: elements,
    workingSetWords: Math.max(lanes, op.seqKV),
  };
}

/** An embedding lookup: the token ids and the gathered table rows read, the rows written; no arithmetic. */
export function embeddingStream(op: EmbeddingOp, lanes: number): VectorStream {
  const inWords = op.tokens + Math.min(op.tokens, op.vocab) * op.dim;
  return { work: { adds: 0, muls: 0 }, inWords, laneReadWords: inWords, outWords: op.tokens * op.dim, workingSetWords: lanes };
}
