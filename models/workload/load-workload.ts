import { extname, isAbsolute, resolve } from 'node:path';
import { DseError } from '../../core/errors.ts';
import { parseDataText, readTextFile } from '../../core/data-file.ts';
import { stableHash } from '../../core/hash.ts';
import type { Workload } from '../types.ts';
import { hfConfigToWorkload, isHfConfig } from './hf-config.ts';
import { layerListToWorkload } from './layer-list.ts';
import { loadOnnxFile } from './onnx/load-onnx.ts';
import { parseScaleSimTopology } from './scalesim-topology.ts';
import { buildZooWorkload, isZooName } from './zoo/index.ts';

export { listZoo } from './zoo/index.ts';
export type { ZooInfo, ZooParamSpec } from './zoo/index.ts';

const FILE_EXTS = new Set(['.yaml', '.yml', '.json', '.csv', '.onnx']);

/**
 * Resolves a workload spec: a zoo name (`resnet50`, with `params` such as
 * `{ resolution: 160, batch: 4 }`) or a file (.yaml/.yml/.json layer list, .csv SCALE-Sim
 * topology, .onnx model, or a Hugging Face config.json), relative paths taken from `baseDir`
 * (default: the working directory). An ONNX model takes params too: its symbolic dims by name
 * and `unknownOps: free`; a Hugging Face config takes the zoo decoders' (phase, seqLen,
 * context, batch, kvBits, lmHead); layer lists and topologies take none. The result is
 * validated (validateGraph); every user error is a DseError.
 */
export function loadWorkload(spec: string, params: Record<string, number | string> = {}, baseDir?: string): Workload {
  return loadWorkloadReporting(spec, params, baseDir).workload;
}

/** loadWorkload, plus the warnings of the import (ONNX nodes passed over as free) for a command to print. */
export function loadWorkloadReporting(spec: string, params: Record<string, number | string> = {}, baseDir?: string): { workload: Workload; warnings: string[] } {
  if (!isWorkloadFile(spec)) return { workload: buildZooWorkload(spec, params), warnings: [] };
  const ext = extname(spec).toLowerCase();
  const file = isAbsolute(spec) || !baseDir ? spec : resolve(baseDir, spec);
  if (ext === '.onnx') return loadOnnxFile(file, params);
  const text = readTextFile(file);
  const data = ext === '.csv' ? null : parseDataText(text, file);
  if (ext === '.json' && isHfConfig(data)) return { workload: hfConfigToWorkload(data, file, params), warnings: [] };
  const given = Object.keys(params);
  if (given.length > 0) {
    throw new DseError('unknown_param', `this workload file takes no params (got ${given.join(', ')}); params are for zoo networks, ONNX models and Hugging Face configs`, { path: `params.${given[0]}`, file });
  }
  if (ext === '.csv') return { workload: parseScaleSimTopology(text, file), warnings: [] };
  return { workload: layerListToWorkload(data, file), warnings: [] };
}

/** True when a workload spec names a file rather than a zoo network. */
export function isWorkloadFile(spec: string): boolean {
  return FILE_EXTS.has(extname(spec).toLowerCase()) && !isZooName(spec);
}

/** Stable hash of a workload's graph (for caches keyed by workload). */
export function workloadHash(w: Workload): string {
  return stableHash(w);
}
