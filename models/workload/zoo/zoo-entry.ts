import { DseError } from '../../../core/errors.ts';
import type { Workload } from '../../types.ts';

export type ParamValue = number | string;

/** One parameter of a zoo network: an integer range or a list of allowed values. */
export type ZooParamSpec =
  | { kind: 'int'; default: number; min: number; max: number; description: string }
  | { kind: 'choice'; default: ParamValue; values: ParamValue[]; description: string };

/** What `listZoo()` returns: plain JSON, no builder. */
export interface ZooInfo {
  name: string;
  description: string;
  params: Record<string, ZooParamSpec>;
}

export interface ZooEntry extends ZooInfo {
  /** Builds the graph from fully resolved parameters (see resolveZooParams). */
  build(params: Record<string, ParamValue>): Workload;
}

export const batchParam: ZooParamSpec = { kind: 'int', default: 1, min: 1, max: 4096, description: 'images or sequences per inference' };
export const resolutionParam: ZooParamSpec = { kind: 'int', default: 224, min: 32, max: 2048, description: 'input height and width in pixels' };

/**
 * Fills defaults and checks each given parameter against its spec. Numeric strings are
 * accepted for int parameters (command lines pass text). Errors name `params.<name>`.
 */
export function resolveZooParams(entry: ZooInfo, given: Record<string, ParamValue> = {}, file?: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const key of Object.keys(given)) {
    if (!(key in entry.params)) {
      const known = Object.keys(entry.params).join(', ');
      throw new DseError('unknown_param', `${entry.name} has no parameter '${key}' (it has: ${known})`, { path: `params.${key}`, file });
    }
  }
  for (const [key, spec] of Object.entries(entry.params)) {
    const raw = given[key];
    if (raw === undefined) {
      out[key] = spec.default;
      continue;
    }
    if (spec.kind === 'int') {
      const v = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || v > spec.max) {
        throw new DseError('invalid_param', `${entry.name}: ${key} must be an integer ${spec.min}..${spec.max}, got ${JSON.stringify(raw)}`, { path: `params.${key}`, file });
      }
      out[key] = v;
    } else {
      const hit = spec.values.find((v) => v === raw || String(v) === String(raw));
      if (hit === undefined) {
        throw new DseError('invalid_param', `${entry.name}: ${key} must be one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(raw)}`, { path: `params.${key}`, file });
      }
      out[key] = hit;
    }
  }
  return out;
}
