import { GraphBuilder } from '../graph-builder.ts';
import type { Workload } from '../../types.ts';
import { batchParam, resolutionParam, type ParamValue, type ZooEntry } from './zoo-entry.ts';

/** Configuration "D" of Simonyan & Zisserman 2015: conv widths, 'M' = 2x2 max pool. */
const CFG: (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

/**
 * VGG-16. At 224x224 the classifier reads 512x7x7 = 25088 features, as in the paper. At other
 * resolutions fc6 reads the whole 512 x (res/32)^2 map (torchvision instead pools adaptively to
 * 7x7, which no fixed-kernel pool op expresses exactly), so fc6 grows with the resolution.
 */
function buildVgg16(params: Record<string, ParamValue>): Workload {
  const batch = params.batch as number;
  const res = params.resolution as number;
  const g = new GraphBuilder('vgg16', params);
  let x = g.input('image', [batch, 3, res, res]);
  let block = 1;
  let conv = 1;
  for (const c of CFG) {
    if (c === 'M') {
      x = g.pool(`pool${block}`, x, { mode: 'max', k: 2, stride: 2 });
      block++;
      conv = 1;
      continue;
    }
    x = g.conv(`conv${block}_${conv}`, x, { outC: c, k: 3, pad: 1 });
    x = g.eltwise(`relu${block}_${conv}`, 'relu', [x]);
    conv++;
  }
  const [, ch, h, w] = g.shape(x) as [number, number, number, number];
  x = g.linear('fc6', x, { inFeatures: ch * h * w, outFeatures: 4096 });
  x = g.eltwise('relu6', 'relu', [x]);
  x = g.linear('fc7', x, { outFeatures: 4096 });
  x = g.eltwise('relu7', 'relu', [x]);
  g.linear('fc8', x, { outFeatures: 1000 });
  return g.build();
}

export const vgg16: ZooEntry = {
  name: 'vgg16',
  description: 'VGG-16 (Simonyan & Zisserman 2015, configuration D): 13 3x3 convs, 5 max pools, fc 4096-4096-1000',
  params: { batch: batchParam, resolution: resolutionParam },
  build: buildVgg16,
};
