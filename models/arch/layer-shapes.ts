import { convOutHW, opMacs } from '../op-size.ts';
import type { Workload } from '../types.ts';
import type { LayerShape } from './types.ts';

/** A workload op as a Timeloop cnn-layer, with how many times the shape repeats (groups, batched matmuls). */
export interface ShapedLayer {
  name: string;
  layer: LayerShape;
  repeat: number;
}

/**
 * The MAC layers of a workload as Timeloop cnn-layers: a convolution as N C K P Q R S (P = output
 * width, Q = height; Timeloop's layer has no padding, so the input is (P-1)*stride + R wide, the
 * MAC count is the same); a grouped convolution as `groups` repeats of its per-group shape; a
 * matmul [m,k]x[k,n] as C=k, K=n, P=m, repeated `count` times. Ops without MACs are left out
 * (they do not run on the array).
 */
export function layerShapes(w: Workload): ShapedLayer[] {
  const out: ShapedLayer[] = [];
  for (const op of w.ops) {
    if (opMacs(op) === 0) continue;
    if (op.kind === 'conv2d') {
      const { outH, outW } = convOutHW(op);
      out.push({
        name: op.name,
        layer: { N: op.batch, C: op.inC / op.groups, K: op.outC / op.groups, P: outW, Q: outH, R: op.kW, S: op.kH, strideW: op.strideW, strideH: op.strideH },
        repeat: op.groups,
      });
    } else if (op.kind === 'matmul') {
      out.push({ name: op.name, layer: { N: 1, C: op.k, K: op.n, P: op.m, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 }, repeat: op.count });
    }
  }
  return out;
}
