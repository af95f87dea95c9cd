import { attentionGroups } from '../cost/attention.ts';
import { convOutHW, expectedDistinctExperts } from '../op-size.ts';
import type { AttentionOp, MatmulOp, Op, Workload } from '../types.ts';
import type { LayerShape } from './types.ts';

/**
 * A workload op's MAC work as a Timeloop cnn-layer, with how many times the shape runs (groups,
 * batched matmuls, attention groups, experts). `repeat` may be fractional: a causal attention
 * computes a share of its query-key pairs, a mixture of experts runs an expected number of experts.
 */
export interface ShapedLayer {
  name: string;
  layer: LayerShape;
  repeat: number;
}

/**
 * The MAC layers of one op (none for ops without MACs: they do not run on the array):
 * - a convolution as N C K P Q R S (P = output width, Q = height; Timeloop's layer has no
 *   padding, so the input is (P-1)*stride + R wide, the MAC count is the same); a grouped
 *   convolution as `groups` repeats of its per-group shape;
 * - a matmul [m,k]x[k,n] as C=k, K=n, P=m, repeated `count` times; a mixture of experts as the
 *   expected distinct experts, each on its share of the routed rows (`expertLayers`);
 * - attention as its two batched matmuls per K/V group (`attentionLayers`).
 */
export function macLayers(op: Op): ShapedLayer[] {
  switch (op.kind) {
    case 'conv2d': {
      const { outH, outW } = convOutHW(op);
      return [{
        name: op.name,
        layer: { N: op.batch, C: op.inC / op.groups, K: op.outC / op.groups, P: outW, Q: outH, R: op.kW, S: op.kH, strideW: op.strideW, strideH: op.strideH },
        repeat: op.groups,
      }];
    }
    case 'matmul':
      return op.moe ? expertLayers(op, op.moe) : [{ name: op.name, layer: matmulShape(op.m, op.k, op.n), repeat: op.count }];
    case 'attention':
      return attentionLayers(op);
    default:
      return [];
  }
}

/** Every MAC layer of a workload, in op order. */
export function layerShapes(w: Workload): ShapedLayer[] {
  return w.ops.flatMap(macLayers);
}

/** [m,k] x [k,n] as a cnn-layer: C = k (reduction), K = n, P = m. */
function matmulShape(m: number, k: number, n: number): LayerShape {
  return { N: 1, C: k, K: n, P: m, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 };
}

/**
 * Attention's two products per K/V group, sized as the flat model sizes its traffic
 * (models/cost/attention.ts `attentionGroups`): the group's query rows (group x seqQ) times K^T,
 * S[rows, seqKV] = Q[rows, headDim] K^T[headDim, seqKV] (K the stored operand), then
 * O[rows, headDim] = P[rows, seqKV] V[seqKV, headDim], each repeated batch x kvHeads times. A
 * causal mask computes a share of the pairs: the dense products are costed and scaled by that
 * share (the flat model's rule), so MACs equal the op's.
 */
export function attentionLayers(op: AttentionOp): ShapedLayer[] {
  const { groups, shape, computedFraction } = attentionGroups(op);
  const repeat = groups * computedFraction;
  return [
    { name: `${op.name}.qk`, layer: matmulShape(shape.seqQ, shape.headDim, shape.seqKV), repeat },
    { name: `${op.name}.pv`, layer: matmulShape(shape.seqQ, shape.seqKV, shape.headDim), repeat },
  ];
}

/**
 * A mixture of experts under the flat model's routing assumption (docs/COST_MODEL.md): the m
 * tokens pick topK of E experts uniformly, so D = E (1 - (1 - topK/E)^m) distinct experts run,
 * each on r = m topK / D rows on average, costed as the mix of floor(r)- and ceil(r)-row matmuls
 * that averages to r. Each expert is its own matmul: its weights are read once per expert run.
 */
function expertLayers(op: MatmulOp, moe: { experts: number; topK: number }): ShapedLayer[] {
  const experts = expectedDistinctExperts(moe.experts, moe.topK, op.m);
  const rows = (op.m * moe.topK) / experts;
  const lo = Math.max(1, Math.floor(rows));
  const hi = Math.ceil(rows);
  const hiShare = hi === lo ? 0 : rows - lo;
  const out: ShapedLayer[] = [{ name: op.name, layer: matmulShape(lo, op.k, op.n), repeat: op.count * experts * (1 - hiShare) }];
  if (hiShare > 0) out.push({ name: op.name, layer: matmulShape(hi, op.k, op.n), repeat: op.count * experts * hiShare });
  return out;
}
