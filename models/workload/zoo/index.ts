import { DseError } from '../../../core/errors.ts';
import type { Workload } from '../../types.ts';
import { bertBase } from './bert.ts';
import { gpt2 } from './gpt2.ts';
import { llama, llama3_70b, llama3_8b, mixtral8x7b } from './llama.ts';
import { mobilenetV2 } from './mobilenet-v2.ts';
import { resnet18, resnet50 } from './resnet.ts';
import { vgg16 } from './vgg16.ts';
import { vitB16 } from './vit.ts';
import { resolveZooParams, type ParamValue, type ZooEntry, type ZooInfo } from './zoo-entry.ts';

export type { ZooEntry, ZooInfo, ZooParamSpec } from './zoo-entry.ts';

const ZOO: ZooEntry[] = [resnet18, resnet50, mobilenetV2, vgg16, bertBase, gpt2, vitB16, llama, llama3_8b, llama3_70b, mixtral8x7b];
const BY_NAME = new Map(ZOO.map((e) => [e.name, e]));

/** The zoo's networks with their parameters (plain JSON, in a fixed order). */
export function listZoo(): ZooInfo[] {
  return ZOO.map((e) => ({ name: e.name, description: e.description, params: structuredClone(e.params) }));
}

export function isZooName(name: string): boolean {
  return BY_NAME.has(name);
}

/** Builds a zoo network; unknown names and bad parameters are DseErrors. */
export function buildZooWorkload(name: string, params: Record<string, ParamValue> = {}, file?: string): Workload {
  const entry = BY_NAME.get(name);
  if (!entry) {
    throw new DseError('unknown_workload', `unknown workload '${name}': not a file (.yaml, .yml, .json, .csv) nor a zoo name (${[...BY_NAME.keys()].join(', ')})`, { path: 'name', file });
  }
  const resolved = resolveZooParams(entry, params, file);
  try {
    return entry.build(resolved);
  } catch (e) {
    if (e instanceof DseError && file) throw e.inFile(file);
    throw e;
  }
}
