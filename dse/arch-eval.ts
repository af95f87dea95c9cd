import { writeFileSync } from 'node:fs';
import { readTextFile } from '../core/data-file.ts';
import { dirname, resolve } from 'node:path';
import { DseError, isDseError } from '../core/errors.ts';
import { loadArchitectureFile } from '../models/arch/architecture-file.ts';
import { formatMappingString, parseMappingString } from '../models/arch/mapping-string.ts';
import { checkMapping } from '../models/arch/validate-mapping.ts';
import { MapperCache, type MapperObjective } from '../models/arch/mapper.ts';
import type { MappingCost } from '../models/arch/mapping-model.ts';
import { DIMS, type Architecture, type LayerShape, type Mapping } from '../models/arch/types.ts';

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
  const cost = checkMapping(arch, layer, parsed);
  return { cycles: cost.cycles, energyPJ: cost.energyPJ, areaMM2: cost.areaMM2, mapping: formatMappingString(parsed), cost, parsed };
}

/** Evaluates every line of a JSONL file; a bad line gives an `error` line, the others still run. */
export function runBatch(inFile: string, outFile: string | undefined, tables: string[], objective: MapperObjective = 'edp'): { lines: number; errors: number } {
  const text = readTextFile(inFile);
  const archCache = new Map<string, Architecture>();
  const mapperCache = new MapperCache();
  const out: string[] = [];
  let errors = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim().length === 0) return;
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
      const r = evalWithMapping(arch, parseLayer(rec.layer), rec.mapping as string | undefined, objective, mapperCache);
      out.push(JSON.stringify({ id, cycles: r.cycles, energyPJ: r.energyPJ, areaMM2: r.areaMM2, mapping: r.mapping }));
    } catch (e) {
      if (!isDseError(e)) throw e;
      errors++;
      out.push(JSON.stringify({ id, error: e.toLine() }));
    }
  });
  const body = out.length > 0 ? `${out.join('\n')}\n` : '';
  if (outFile) writeFileSync(outFile, body);
  else process.stdout.write(body);
  return { lines: out.length, errors };
}
