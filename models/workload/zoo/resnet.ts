import { GraphBuilder } from '../graph-builder.ts';
import type { Workload } from '../../types.ts';
import { batchParam, resolutionParam, type ParamValue, type ZooEntry } from './zoo-entry.ts';

/**
 * ResNet (He et al. 2016) as torchvision builds it: batch norm folded into the convs (it adds
 * no MACs at inference), ReLU as element-wise ops, residual adds as two-input add ops, and
 * ResNet-50's stride on the 3x3 conv of a bottleneck ("v1.5", torchvision's choice). Op names
 * follow torchvision's module names (layer2.0.conv1, layer2.0.downsample).
 */
function buildResNet(name: string, block: 'basic' | 'bottleneck', counts: number[], params: Record<string, ParamValue>): Workload {
  const batch = params.batch as number;
  const res = params.resolution as number;
  const g = new GraphBuilder(name, params);
  let x = g.input('image', [batch, 3, res, res]);
  x = g.conv('conv1', x, { outC: 64, k: 7, stride: 2, pad: 3 });
  x = g.eltwise('relu', 'relu', [x]);
  x = g.pool('maxpool', x, { mode: 'max', k: 3, stride: 2, pad: 1 });
  const expansion = block === 'basic' ? 1 : 4;
  let inC = 64;
  counts.forEach((n, s) => {
    const width = 64 << s;
    for (let b = 0; b < n; b++) {
      const p = `layer${s + 1}.${b}`;
      const stride = s > 0 && b === 0 ? 2 : 1;
      const outC = width * expansion;
      let y: string;
      if (block === 'basic') {
        y = g.conv(`${p}.conv1`, x, { outC: width, k: 3, stride });
        y = g.eltwise(`${p}.relu1`, 'relu', [y]);
        y = g.conv(`${p}.conv2`, y, { outC: width, k: 3 });
      } else {
        y = g.conv(`${p}.conv1`, x, { outC: width, k: 1 });
        y = g.eltwise(`${p}.relu1`, 'relu', [y]);
        y = g.conv(`${p}.conv2`, y, { outC: width, k: 3, stride });
        y = g.eltwise(`${p}.relu2`, 'relu', [y]);
        y = g.conv(`${p}.conv3`, y, { outC, k: 1 });
      }
      const shortcut = stride !== 1 || inC !== outC ? g.conv(`${p}.downsample`, x, { outC, k: 1, stride }) : x;
      x = g.add(`${p}.add`, y, shortcut);
      x = g.eltwise(`${p}.relu`, 'relu', [x]);
      inC = outC;
    }
  });
  x = g.globalAvgPool('avgpool', x);
  g.linear('fc', x, { inFeatures: inC, outFeatures: 1000 });
  return g.build();
}

const params = { batch: batchParam, resolution: resolutionParam };

export const resnet18: ZooEntry = {
  name: 'resnet18',
  description: 'ResNet-18 (He et al. 2016): basic blocks [2,2,2,2], fc 1000',
  params,
  build: (p) => buildResNet('resnet18', 'basic', [2, 2, 2, 2], p),
};

export const resnet50: ZooEntry = {
  name: 'resnet50',
  description: 'ResNet-50 (He et al. 2016, torchvision v1.5): bottleneck blocks [3,4,6,3] with projection shortcuts, fc 1000',
  params,
  build: (p) => buildResNet('resnet50', 'bottleneck', [3, 4, 6, 3], p),
};
