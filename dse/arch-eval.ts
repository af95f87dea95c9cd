import { writeFileSync } from 'node:fs';
import { readTextFile } from '../core/data-file.ts';
import { dirname, resolve } from 'node:path';
import { DseError, isDseError } from '../core/errors.ts';
import { loadArchitectureFile } from '../models/arch/architecture-file.ts';
import { formatMappingString, parseMappingString } from '../models/arch/mapping-string.ts';
import { checkMapping } from '../models/arch/validate-mapping.ts';
import { checkSystolicAxes, withSystolicFolds } from '../models/arch/systolic-folds.ts';
import { MapperCache, type MapperObjective } from '../models/arch/mapper.ts';
import type { MappingCost } from '../models/arch/mapping-model.ts';
import { DIMS, type Architecture, type LayerShape, type Mapping } from '../models/arch/types.ts';
import type { ArchitectureTarget } from '../models/arch/workload-cost.ts';
import type { Workload, WorkloadMetrics } from '../models/types.ts';
import { loadWorkload } from '../models/workload/load-workload.ts';

/**
 * `dse eval --arch <file> --layer ... --mapping "<compact string>"` and `dse eval --batch in.jsonl`:
 * one layer (or many) on an architecture file (accel-dse's or Timeloop's) under a given mapping.
 */

const LAYER_KEYS = [...DIMS, 'strideW', 'strideH'] as const;

/** A layer from JSON (`{"C":64,...}`) or `C=64,K=128,...`; unspecified dims are 1. */
export function parseLayer(value: unknown, path = 'layer'): LayerShape {
  let rec: Record<string, unknown>;
  if (typeof value === 'string' && !value.trim().startsWith('{')) {
    rec = {};
    for (const part of value.split(/[,\s]+/).filter((p) => p.length > 0)) {
      const [k, v] = part.split('=');
      rec[k!] = v;
    }
  } else {
    rec = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
  }
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new DseError('invalid_layer', 'expected an object of N C K P Q R S strideW strideH', { path });
  const layer: Record<string, number> = {};
  for (const k of Object.keys(rec)) {
    if (!(LAYER_KEYS as readonly string[]).includes(k)) throw new DseError('invalid_layer', `unknown dim (expected ${LAYER_KEYS.join(' ')})`, { path: `${path}.${k}` });
  }
  for (const k of LAYER_KEYS) {
    const v = rec[k] === undefined ? 1 : Number(rec[k]);
    if (!Number.isSafeInteger(v) || v < 1) throw new DseError('invalid_layer', `must be an integer >= 1 (got ${JSON.stringify(rec[k])})`, { path: `${path}.${k}` });
    layer[k] = v;
  }
  return layer as unknown as LayerShape;
}

export interface ArchEvalResult {
  cycles: number;
  energyPJ: number;
  areaMM2: number;
  mapping: string;
  cost: MappingCost;
  parsed: Mapping;
}

/** One layer under the given mapping, or (mapping undefined) under the mapper's best for `objective`. */
export function evalWithMapping(arch: Architecture, layer: LayerShape, mappingText: string | undefined, objective: MapperObjective = 'edp', cache = new MapperCache()): ArchEvalResult {
  const parsed = mappingText === undefined ? cache.get(arch, layer, objective).mapping : parseMappingString(mappingText, arch.levels.length);
  if (mappingText !== undefined) checkSystolicAxes(arch, parsed);
  const cost = withSystolicFolds(arch, parsed, checkMapping(arch, layer, parsed));
  return { cycles: cost.cycles, energyPJ: cost.energyPJ, areaMM2: cost.areaMM2, mapping: formatMappingString(parsed), cost, parsed };
}

/** The architecture path of `costWorkload` for one architecture file: the mapper for `objective`, a clock in MHz. */
export function architectureTargetOf(arch: Architecture, clockMHz: number, objective: MapperObjective, cache: MapperCache): ArchitectureTarget {
  if (!Number.isFinite(clockMHz) || clockMHz <= 0) throw new DseError('invalid_batch_line', `clockMHz must be a number > 0 (got ${JSON.stringify(clockMHz)})`, { path: 'clockMHz' });
  return { architecture: arch, clockMHz, objective, cache };
}

/** A whole workload on an architecture, through the one evaluation path (`costWorkload`): totals and one record per op. */
export async function evalWorkloadOnArchitecture(target: ArchitectureTarget, workload: Workload): Promise<WorkloadMetrics> {
  const { costWorkload } = await import('./evaluate-design.ts');
  return (await costWorkload(target, workload, { planner: { solver: 'highs', timeLimitS: 0 } })).metrics;
}

/** A workload's metrics as a batch output line: totals and per op cycles, energy and DRAM bytes. */
function workloadLine(id: unknown, m: WorkloadMetrics): Record<string, unknown> {
  return {
    id,
    cycles: m.latencyCycles,
    latencyS: m.latencyS,
    energyPJ: m.energyPJ,
    areaMM2: m.areaMM2,
    dramBytes: m.dramBytes,
    macs: m.macs,
    layers: m.layers.map((l) => ({ name: l.name, kind: l.kind, macs: l.macs, cycles: l.latencyCycles, energyPJ: l.energyPJ, dramBytes: l.dramReadBytes + l.dramWriteBytes, bound: l.bound })),
  };
}

/**
 * Evaluates every line of a JSONL file; a bad line gives an `error` line, the others still run.
 * A line costs one layer (`layer`, optional `mapping`) or a whole workload (`workload`: a zoo
 * name or a file relative to the JSONL file, optional `params` and `clockMHz`, default the architecture's own clock, else 1000).
 */
export async function runBatch(inFile: string, outFile: string | undefined, tables: string[], objective: MapperObjective = 'edp'): Promise<{ lines: number; errors: number }> {
  const text = readTextFile(inFile);
  const archCache = new Map<string, Architecture>();
  const mapperCache = new MapperCache();
  const out: string[] = [];
  let errors = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().length === 0) continue;
    let id: unknown = i + 1;
    try {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new DseError('invalid_batch_line', 'not valid JSON');
      }
      if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new DseError('invalid_batch_line', 'expected a JSON object');
      if ('id' in rec) id = rec.id;
      if (typeof rec.architecture !== 'string') throw new DseError('invalid_batch_line', 'needs "architecture": the path of an architecture file', { path: 'architecture' });
      if (rec.mapping !== undefined && typeof rec.mapping !== 'string') throw new DseError('invalid_batch_line', '"mapping" must be a compact mapping string (or absent: the mapper chooses)', { path: 'mapping' });
      const archPath = resolve(dirname(inFile), rec.architecture);
      let arch = archCache.get(archPath);
      if (!arch) archCache.set(archPath, (arch = loadArchitectureFile(archPath, { tables })));
      if (rec.workload !== undefined) {
        if (typeof rec.workload !== 'string') throw new DseError('invalid_batch_line', '"workload" must be a zoo name or a workload file', { path: 'workload' });
        if (rec.layer !== undefined || rec.mapping !== undefined) throw new DseError('invalid_batch_line', 'give "workload" or "layer" (with an optional "mapping"), not both', { path: 'workload' });
        const params = rec.params ?? {};
        if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new DseError('invalid_batch_line', '"params" must be an object of zoo parameters', { path: 'params' });
        const workload = loadWorkload(rec.workload, params as Record<string, number | string>, dirname(inFile));
        const target = architectureTargetOf(arch, rec.clockMHz === undefined ? (arch.clockMHz ?? 1000) : Number(rec.clockMHz), objective, mapperCache);
        out.push(JSON.stringify(workloadLine(id, await evalWorkloadOnArchitecture(target, workload))));
        continue;
      }
      const r = evalWithMapping(arch, parseLayer(rec.layer), rec.mapping as string | undefined, objective, mapperCache);
      out.push(JSON.stringify({ id, cycles: r.cycles, energyPJ: r.energyPJ, areaMM2: r.areaMM2, mapping: r.mapping }));
    } catch (e) {
      if (!isDseError(e)) throw e;
      errors++;
      out.push(JSON.stringify({ id, error: e.toLine() }));
    }
  }
  const body = out.length > 0 ? `${out.join('\n')}\n` : '';
  if (outFile) writeFileSync(outFile, body);
  else process.stdout.write(body);
  return { lines: out.length, errors };
}
