import { dirname, resolve } from 'node:path';
import { readDataFile } from '../../core/data-file.ts';
import { DseError } from '../../core/errors.ts';
import { priceCompute, priceStorage, type BuiltinPricing } from './builtin-pricing.ts';
import { applyComponentTable, readComponentTable, readUserTable } from './energy-area-tables.ts';
import { normalizeHardware } from '../hardware.ts';
import { architectureFromHardware } from './from-flat-hardware.ts';
import { gemminiLike } from './presets.ts';
import { readTimeloopArchitecture } from './timeloop-arch.ts';
import { DIMS, OPERANDS, type Architecture, type Dim, type Operand, type StorageLevel, type SystolicArray } from './types.ts';

/**
 * Reads an architecture file: either a Timeloop v0.3 architecture (`architecture: {subtree}`)
 * or accel-dse's own form (`architecture: {levels, compute}`, see docs/COST_MODEL.md
 * "Architecture files"). Energy/area tables (Accelergy ERT/ART or a plain table) named in the
 * file's `tables:` (paths relative to the file) or passed in `tables` are applied in order.
 */
export function loadArchitectureFile(file: string, opts: { tables?: string[] } = {}): Architecture {
  return architectureFromData(readDataFile(file), file, opts);
}

/** `loadArchitectureFile` on data already read (a study edits a file's data per design): tables relative to `file`. */
export function architectureFromData(data: unknown, file?: string, opts: { tables?: string[] } = {}): Architecture {
  let arch = parseArchitecture(data, file);
  for (const t of [...architectureTableFiles(data, file), ...(opts.tables ?? [])]) {
    arch = applyComponentTable(arch, readComponentTable(readDataFile(t), t));
  }
  return arch;
}

/** The energy/area table files an architecture's data names in `tables:`, resolved relative to `file` (else the working directory). */
export function architectureTableFiles(data: unknown, file?: string): string[] {
  const own = ((data as { architecture?: { tables?: unknown } })?.architecture?.tables ?? []) as unknown;
  if (!Array.isArray(own)) throw new DseError('invalid_architecture', 'expected a list of table files', { path: 'architecture.tables', file });
  return own.map((p) => resolve(file ? dirname(file) : process.cwd(), String(p)));
}

export function parseArchitecture(data: unknown, file?: string): Architecture {
  const a = (data as { architecture?: unknown } | null)?.architecture;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) {
    throw new DseError('invalid_architecture', 'expected a top-level `architecture:` mapping', { path: 'architecture', file });
  }
  if ('subtree' in a) return readTimeloopArchitecture(data, file);
  const rec = a as Record<string, unknown>;
  if ('preset' in rec) return readPreset(rec, file);
  const arch = readOwnArchitecture(rec, file);
  // Inline prices: the plain-table form, applied over the built-in ones.
  return rec.components === undefined ? arch : applyComponentTable(arch, readUserTable({ components: rec.components }, file));
}

/** `architecture: {preset: gemmini-like, peDim, scratchpadKiB, accumulatorKiB}` or `{preset: systolic, <flat hardware fields>}`. */
function readPreset(a: Record<string, unknown>, file?: string): Architecture {
  if (a.preset === 'systolic') return readSystolicPreset(a, file);
  if (a.preset !== 'gemmini-like') throw new DseError('invalid_architecture', 'unknown preset (known: gemmini-like, systolic)', { path: 'architecture.preset', file });
  for (const k of Object.keys(a)) {
    if (!['preset', 'peDim', 'scratchpadKiB', 'accumulatorKiB', 'tables'].includes(k)) {
      throw new DseError('invalid_architecture', 'unknown field (expected preset, peDim, scratchpadKiB, accumulatorKiB, tables)', { path: `architecture.${k}`, file });
    }
  }
  try {
    return gemminiLike({ peDim: Number(a.peDim ?? 16), scratchpadKiB: Number(a.scratchpadKiB ?? 256), accumulatorKiB: Number(a.accumulatorKiB ?? 64) });
  } catch (e) {
    throw e instanceof DseError ? e.inFile(file ?? '') : e;
  }
}

/** Flat hardware fields the systolic preset takes (the rest of models/hardware.ts has no counterpart on an architecture). */
export const SYSTOLIC_PRESET_FIELDS = ['peRows', 'peCols', 'dataflow', 'ifmapSramKiB', 'filterSramKiB', 'ofmapSramKiB', 'glbKiB', 'rfBytes', 'dramGBps', 'clockMHz', 'weightBits', 'activationBits', 'accumBits', 'techNode'] as const;

/** `architecture: {preset: systolic, peRows, peCols, glbKiB, dataflow, ...}`: the flat template expanded (from-flat-hardware.ts). */
function readSystolicPreset(a: Record<string, unknown>, file?: string): Architecture {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) {
    if (k === 'preset' || k === 'tables') continue;
    if (!(SYSTOLIC_PRESET_FIELDS as readonly string[]).includes(k)) {
      throw new DseError('invalid_architecture', `unknown field (expected preset, tables, ${SYSTOLIC_PRESET_FIELDS.join(', ')})`, { path: `architecture.${k}`, file });
    }
    fields[k] = v;
  }
  const hw = normalizeHardware(fields, { ...(file ? { file } : {}), pathPrefix: 'architecture' });
  try {
    return architectureFromHardware(hw);
  } catch (e) {
    throw e instanceof DseError ? new DseError('invalid_architecture', e.message, { path: `architecture.${e.path}`, ...(file ? { file } : {}) }) : e;
  }
}

export const LEVEL_KEYS = ['name', 'class', 'instances', 'capacityWords', 'capacityKiB', 'wordBits', 'keeps', 'blockWords', 'bandwidthWordsPerCycle', 'spatialDims', 'temporalDims', 'loopOrder'];

function readOwnArchitecture(a: Record<string, unknown>, file?: string): Architecture {
  for (const k of Object.keys(a)) {
    if (!['name', 'pricing', 'techNode', 'clockMHz', 'levels', 'compute', 'vector', 'tables', 'components'].includes(k)) {
      throw new DseError('invalid_architecture', 'unknown field (expected name, pricing, techNode, clockMHz, levels, compute, vector, tables, components)', { path: `architecture.${k}`, file });
    }
  }
  const pricing = (a.pricing ?? 'builtin-45nm') as BuiltinPricing;
  if (pricing !== 'builtin-45nm' && pricing !== 'timeloop') {
    throw new DseError('invalid_architecture', 'must be builtin-45nm or timeloop', { path: 'architecture.pricing', file });
  }
  const techNode = String(a.techNode ?? '45nm');
  if (!Array.isArray(a.levels) || a.levels.length === 0) {
    throw new DseError('invalid_architecture', 'expected a non-empty list of storage levels, DRAM first', { path: 'architecture.levels', file });
  }
  const levels: StorageLevel[] = a.levels.map((raw, i) => {
    const path = `architecture.levels[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new DseError('invalid_architecture', 'expected a mapping', { path, file });
    const l = raw as Record<string, unknown>;
    for (const k of Object.keys(l)) {
      if (!LEVEL_KEYS.includes(k)) throw new DseError('invalid_architecture', `unknown field (expected ${LEVEL_KEYS.join(', ')})`, { path: `${path}.${k}`, file });
    }
    const name = String(l.name ?? '').trim();
    if (!name) throw new DseError('invalid_architecture', 'every level needs a name', { path: `${path}.name`, file });
    const className = String(l.class ?? (i === 0 ? 'DRAM' : 'SRAM'));
    const wordBits = int(l.wordBits ?? 8, `${path}.wordBits`, file);
    let capacityWords: number | null = null;
    if (l.capacityWords !== undefined && l.capacityKiB !== undefined) {
      throw new DseError('invalid_architecture', 'give capacityWords or capacityKiB, not both', { path: `${path}.capacityKiB`, file });
    }
    if (l.capacityWords !== undefined) capacityWords = positive(l.capacityWords, `${path}.capacityWords`, file);
    else if (l.capacityKiB !== undefined) capacityWords = (positive(l.capacityKiB, `${path}.capacityKiB`, file) * 1024 * 8) / wordBits;
    else if (!/dram/i.test(className)) throw new DseError('invalid_architecture', `${name}: needs capacityWords or capacityKiB (only DRAM is unbounded)`, { path: `${path}.capacityWords`, file });
    const keeps = list(l.keeps ?? [...OPERANDS], OPERANDS, `${path}.keeps`, file) as Operand[];
    if (keeps.length === 0) throw new DseError('invalid_architecture', `${name} keeps no operand (a level must keep at least one of W, I, O)`, { path: `${path}.keeps`, file });
    const spatialDims = list(l.spatialDims ?? [], DIMS, `${path}.spatialDims`, file) as Dim[];
    const bw = l.bandwidthWordsPerCycle;
    const base = {
      name,
      className,
      instances: int(l.instances ?? 1, `${path}.instances`, file),
      capacityWords,
      wordBits,
      keeps,
      blockWords: int(l.blockWords ?? 1, `${path}.blockWords`, file),
      bandwidthWordsPerCycle: bw === undefined || bw === null || bw === 'unlimited' ? null : positive(bw, `${path}.bandwidthWordsPerCycle`, file),
      spatialDims,
      ...(l.temporalDims !== undefined ? { temporalDims: list(l.temporalDims, DIMS, `${path}.temporalDims`, file) as Dim[] } : {}),
      ...(l.loopOrder !== undefined ? { loopOrder: list(l.loopOrder, DIMS, `${path}.loopOrder`, file) as Dim[] } : {}),
    };
    return { ...base, ...priceStorage(base, pricing, techNode) };
  });
  const c = (a.compute ?? {}) as Record<string, unknown>;
  const macBits = int(c.macBits ?? 8, 'architecture.compute.macBits', file);
  for (const k of Object.keys(c)) {
    if (!['name', 'instances', 'macBits', 'systolic'].includes(k)) throw new DseError('invalid_architecture', 'unknown field (expected name, instances, macBits, systolic)', { path: `architecture.compute.${k}`, file });
  }
  const instances = int(c.instances ?? 1, 'architecture.compute.instances', file);
  const compute = {
    name: String(c.name ?? 'MAC'),
    instances,
    macBits,
    ...priceCompute(macBits, pricing, techNode),
    ...(c.systolic !== undefined ? { systolic: readSystolic(c.systolic, instances, file) } : {}),
  };
  for (const op of OPERANDS) {
    if (!levels[0]!.keeps.includes(op)) throw new DseError('invalid_architecture', `the outermost level must keep ${op}`, { path: 'architecture.levels[0].keeps', file });
  }
  const clock = a.clockMHz === undefined ? {} : { clockMHz: positive(a.clockMHz, 'architecture.clockMHz', file) };
  return { name: String(a.name ?? levels.map((l) => l.name).join('-')), levels, compute, ...readVector(a.vector, file), ...clock };
}

/** `compute.systolic: {rows, cols, dataflow}`: the MACs form a rows x cols array (systolic-folds.ts); rows x cols must be the MAC count. */
function readSystolic(v: unknown, instances: number, file?: string): SystolicArray {
  const path = 'architecture.compute.systolic';
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DseError('invalid_architecture', 'expected a mapping {rows, cols, dataflow}', { path, file });
  const r = v as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (!['rows', 'cols', 'dataflow'].includes(k)) throw new DseError('invalid_architecture', 'unknown field (expected rows, cols, dataflow)', { path: `${path}.${k}`, file });
  }
  const rows = int(r.rows, `${path}.rows`, file);
  const cols = int(r.cols, `${path}.cols`, file);
  if (r.dataflow !== 'ws' && r.dataflow !== 'os' && r.dataflow !== 'is') throw new DseError('invalid_architecture', `must be ws, os or is (got ${JSON.stringify(r.dataflow)})`, { path: `${path}.dataflow`, file });
  if (rows * cols !== instances) throw new DseError('invalid_architecture', `rows x cols = ${rows * cols} must equal compute.instances (${instances})`, { path, file });
  return { rows, cols, dataflow: r.dataflow };
}

/** `vector: {lanes: N}`: the lanes that run ops without MACs (models/arch/vector-op-cost.ts; absent: its default). */
function readVector(v: unknown, file?: string): { vectorLanes?: number } {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DseError('invalid_architecture', 'expected a mapping {lanes: N}', { path: 'architecture.vector', file });
  for (const k of Object.keys(v)) {
    if (k !== 'lanes') throw new DseError('invalid_architecture', 'unknown field (expected lanes)', { path: `architecture.vector.${k}`, file });
  }
  const lanes = (v as { lanes?: unknown }).lanes;
  return lanes === undefined ? {} : { vectorLanes: int(lanes, 'architecture.vector.lanes', file) };
}

function positive(v: unknown, path: string, file?: string): number {
  const n = Number(v);
  if (typeof v === 'boolean' || !Number.isFinite(n) || n <= 0) throw new DseError('invalid_architecture', `must be a number > 0 (got ${JSON.stringify(v)})`, { path, file });
  return n;
}

function int(v: unknown, path: string, file?: string): number {
  const n = positive(v, path, file);
  if (!Number.isSafeInteger(n)) throw new DseError('invalid_architecture', `must be an integer (got ${JSON.stringify(v)})`, { path, file });
  return n;
}

function list(v: unknown, allowed: readonly string[], path: string, file?: string): string[] {
  if (!Array.isArray(v)) throw new DseError('invalid_architecture', `expected a list of ${allowed.join('/')}`, { path, file });
  for (const x of v) if (!allowed.includes(String(x))) throw new DseError('invalid_architecture', `"${String(x)}" is not one of ${allowed.join(' ')}`, { path, file });
  return v.map(String);
}
