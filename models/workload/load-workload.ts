import { extname, isAbsolute, resolve } from 'node:path';
import { DseError } from '../../core/errors.ts';
import { parseDataText, readTextFile } from '../../core/data-file.ts';
import { stableHash } from '../../core/hash.ts';
import type { Workload } from '../types.ts';
import { hfConfigToWorkload, isHfConfig } from './hf-config.ts';
import { layerListToWorkload } from './layer-list.ts';
import { parseScaleSimTopology } from './scalesim-topology.ts';
import { buildZooWorkload, isZooName } from './zoo/index.ts';

export { listZoo } from './zoo/index.ts';
export type { ZooInfo, ZooParamSpec } from './zoo/index.ts';

const FILE_EXTS = new Set(['.yaml', '.yml', '.json', '.csv']);

/**
 * Resolves a workload spec: a zoo name (`resnet50`, with `params` such as
 * `{ resolution: 160, batch: 4 }`) or a file (.yaml/.yml/.json layer list, .csv SCALE-Sim
 * topology, or a Hugging Face config.json), relative paths taken from `baseDir` (default: the
 * working directory). Of files, only a Hugging Face config takes params (the zoo decoders':
 * phase, seqLen, context, batch, kvBits, lmHead). The result is validated (validateGraph);
 * every user error is a DseError.
 */
export function loadWorkload(spec: string, params: Record<string, number | string> = {}, baseDir?: string): Workload {
  const ext = extname(spec).toLowerCase();
  if (!FILE_EXTS.has(ext) || isZooName(spec)) return buildZooWorkload(spec, params);
  const file = isAbsolute(spec) || !baseDir ? spec : resolve(baseDir, spec);
  const text = readTextFile(file);
  const data = ext === '.csv' ? null : parseDataText(text, file);
  if (ext === '.json' && isHfConfig(data)) return hfConfigToWorkload(data, file, params);
  const given = Object.keys(params);
  if (given.length > 0) {
    throw new DseError('unknown_param', `this workload file takes no params (got ${given.join(', ')}); params are for zoo networks and Hugging Face configs`, { path: `params.${given[0]}`, file });
  }
  if (ext === '.csv') return parseScaleSimTopology(text, file);
  return layerListToWorkload(data, file);
}

/** Stable hash of a workload's graph (for caches keyed by workload). */
export function workloadHash(w: Workload): string {
  return stableHash(w);
}
