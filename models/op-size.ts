import type { AttentionOp, Conv2dOp, Op, PoolOp } from './types.ts';

/** Output spatial size of a conv or pool: floor((in + 2*pad - k) / stride) + 1 (PyTorch's rule). */
export function outputSize(inSize: number, k: number, stride: number, pad: number): number {
  return Math.floor((inSize + 2 * pad - k) / stride) + 1;
}

export function convOutHW(op: Conv2dOp | PoolOp): { outH: number; outW: number } {
  if (op.kind === 'conv2d' && op.outH !== undefined && op.outW !== undefined) return { outH: op.outH, outW: op.outW };
  return { outH: outputSize(op.inH, op.kH, op.strideH, op.padH), outW: outputSize(op.inW, op.kW, op.strideW, op.padW) };
}

/** Query-key pairs attention computes per head (causal masks all keys after the query's position). */
export function attentionPairs(op: AttentionOp): number {
  if (!op.causal) return op.seqQ * op.seqKV;
  // Query i (0-based, aligned to the end of the key sequence) sees keys 0..(seqKV - seqQ + i).
  let pairs = 0;
  const offset = op.seqKV - op.seqQ;
  // sum_{i=0}^{seqQ-1} min(seqKV, max(0, offset + i + 1))
  for (let i = 0; i < op.seqQ; i++) pairs += Math.min(op.seqKV, Math.max(0, offset + i + 1));
  return pairs;
}

/** Multiply-accumulates an op performs (0 for pooling and element-wise ops). */
export function opMacs(op: Op): number {
  switch (op.kind) {
    case 'conv2d': {
      const { outH, outW } = convOutHW(op);
      return op.batch * outH * outW * op.outC * (op.inC / op.groups) * op.kH * op.kW;
    }
    case 'matmul':
      return op.count * op.m * op.n * op.k;
    case 'attention':
      // QK^T and AV each do headDim MACs per query-key pair.
      return op.batch * op.heads * attentionPairs(op) * op.headDim * 2;
    case 'pool':
    case 'eltwise':
      return 0;
  }
}

/** Weight elements an op stores (0 when it has none). */
export function opWeightElements(op: Op): number {
  switch (op.kind) {
    case 'conv2d':
      return op.outC * (op.inC / op.groups) * op.kH * op.kW;
    case 'matmul':
      return op.weightOperand ? op.count * op.k * op.n : 0;
    default:
      // Layernorm's gain and bias are a few hundred elements; they are not counted.
      return 0;
  }
}
