import { GraphBuilder } from '../graph-builder.ts';
import type { Workload } from '../../types.ts';
import { batchParam, resolutionParam, type ParamValue, type ZooEntry } from './zoo-entry.ts';

/** Inverted-residual settings of MobileNetV2 (Sandler et al. 2018, Table 2): expansion t, channels c, repeats n, stride s. */
const SETTINGS: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Channel rounding of the reference implementation: nearest multiple of 8, never more than 10% down. */
function makeDivisible(v: number, divisor = 8): number {
  let r = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (r < 0.9 * v) r += divisor;
  return r;
}

/**
 * MobileNetV2 as torchvision builds it: batch norm folded into the convs, ReLU6 after the
 * expansion and depthwise convs, a linear (no activation) projection, and a two-input add
 * when a block keeps stride 1 and its channel count.
 */
function buildMobileNetV2(params: Record<string, ParamValue>): Workload {
  const batch = params.batch as number;
  const res = params.resolution as number;
  const width = Number(params.width);
  const g = new GraphBuilder('mobilenet_v2', params);
  let inC = makeDivisible(32 * width);
  const lastC = makeDivisible(1280 * Math.max(1, width));
  let x = g.input('image', [batch, 3, res, res]);
  x = g.conv('features.0.conv', x, { outC: inC, k: 3, stride: 2, pad: 1 });
  x = g.eltwise('features.0.relu6', 'relu6', [x]);
  let idx = 1;
  for (const [t, c, n, s] of SETTINGS) {
    const outC = makeDivisible(c * width);
    for (let i = 0; i < n; i++, idx++) {
      const p = `features.${idx}`;
      const stride = i === 0 ? s : 1;
      const hidden = Math.round(inC * t);
      let y = x;
      if (t !== 1) {
        y = g.conv(`${p}.expand`, y, { outC: hidden, k: 1 });
        y = g.eltwise(`${p}.expand.relu6`, 'relu6', [y]);
      }
      y = g.depthwise(`${p}.dw`, y, { k: 3, stride, pad: 1 });
      y = g.eltwise(`${p}.dw.relu6`, 'relu6', [y]);
      y = g.conv(`${p}.project`, y, { outC, k: 1 });
      x = stride === 1 && inC === outC ? g.add(`${p}.add`, y, x) : y;
      inC = outC;
    }
  }
  x = g.conv(`features.${idx}.conv`, x, { outC: lastC, k: 1 });
  x = g.eltwise(`features.${idx}.relu6`, 'relu6', [x]);
  x = g.globalAvgPool('avgpool', x);
  g.linear('classifier', x, { inFeatures: lastC, outFeatures: 1000 });
  return g.build();
}

export const mobilenetV2: ZooEntry = {
  name: 'mobilenet_v2',
  description: 'MobileNetV2 (Sandler et al. 2018): inverted residuals, depthwise 3x3, ReLU6, fc 1000',
  params: {
    batch: batchParam,
    resolution: resolutionParam,
    width: { kind: 'choice', default: 1.0, values: [0.35, 0.5, 0.75, 1.0, 1.3, 1.4], description: 'width multiplier (channels scaled, rounded to multiples of 8)' },
  },
  build: buildMobileNetV2,
};
