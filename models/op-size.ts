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
      return op.count * op.m * op.n * op.k * (op.moe ? op.moe.topK : 1);
    case 'attention':
      // QK^T and AV each do headDim MACs per query-key pair.
      return op.batch * op.heads * attentionPairs(op) * op.headDim * 2;
    case 'pool':
    case 'eltwise':
    case 'embedding':
      return 0;
  }
}

/** Weight elements an op stores (0 when it has none). */
export function opWeightElements(op: Op): number {
  switch (op.kind) {
    case 'conv2d':
      return op.outC * (op.inC / op.groups) * op.kH * op.kW;
    case 'matmul':
      return op.weightOperand ? op.count * (op.k + (op.bias ? 1 : 0)) * op.n * (op.moe ? op.moe.experts : 1) : 0;
    case 'embedding':
      return op.tiedToHead ? 0 : op.vocab * op.dim;
    case 'eltwise':
      // A norm's gain and bias when the graph lists them (the original zoo networks leave them out).
      return op.paramElements ?? 0;
    default:
      return 0;
  }
}

/**
 * Expected distinct experts a batch of `tokens` reads when each token picks `topK` of
 * `experts` uniformly and independently (see docs/COST_MODEL.md): E (1 - (1 - k/E)^tokens).
 */
export function expectedDistinctExperts(experts: number, topK: number, tokens: number): number {
  return experts * (1 - Math.pow(1 - topK / experts, tokens));
}

/**
 * Weight elements one run must read at least once: all stored weights, except an embedding
 * (only the gathered rows) and a mixture of experts (only the experts tokens are routed to).
 */
export function opWeightReadElements(op: Op): number {
  if (op.kind === 'embedding') return Math.min(op.tokens, op.vocab) * op.dim;
  if (op.kind === 'matmul' && op.moe) {
    const perExpert = op.count * (op.k + (op.bias ? 1 : 0)) * op.n;
    return perExpert * expectedDistinctExperts(op.moe.experts, op.moe.topK, op.m);
  }
  return opWeightElements(op);
}
