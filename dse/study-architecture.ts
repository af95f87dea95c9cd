import { isAbsolute, resolve } from 'node:path';
import { readDataFile } from '../core/data-file.ts';
import { DseError, isDseError } from '../core/errors.ts';
import type { ParamValue } from '../core/types.ts';
import { architectureFromData, SYSTOLIC_PRESET_FIELDS } from '../models/arch/architecture-file.ts';
import { MapperCache, type MapperObjective } from '../models/arch/mapper.ts';
import type { ArchitectureTarget } from '../models/arch/workload-cost.ts';
import type { Architecture } from '../models/arch/types.ts';

/**
 * A study's `architecture:` (a file, accel-dse's or Timeloop's, or an inline preset / level
 * list) and the parameters a study may vary on it:
 *   preset gemmini-like:  peDim, scratchpadKiB, accumulatorKiB (also as
 *                         levels.Scratchpad.capacityKiB, levels.Accumulator.capacityKiB)
 *   preset systolic:      the flat fields it expands (SYSTOLIC_PRESET_FIELDS: peRows, glbKiB, dataflow, ...)
 *   accel-dse's levels:   levels.<level name>.<attribute> (LEVEL_ATTRIBUTES), compute.instances, compute.macBits,
 *                         vector.lanes
 *   every architecture:   clockMHz (latencyS = cycles / clock; default 1000)
 * A Timeloop file is used as it is: it has no parameters besides clockMHz.
 */

export const LEVEL_ATTRIBUTES = ['instances', 'capacityWords', 'capacityKiB', 'wordBits', 'blockWords', 'bandwidthWordsPerCycle'] as const;
const GEMMINI_PARAMETERS: Record<string, string> = {
  peDim: 'peDim',
  scratchpadKiB: 'scratchpadKiB',
  accumulatorKiB: 'accumulatorKiB',
  'levels.Scratchpad.capacityKiB': 'scratchpadKiB',
  'levels.Accumulator.capacityKiB': 'accumulatorKiB',
};
/** The systolic preset's parameters are the flat fields it expands (clockMHz also sets its DRAM words per cycle). */
const SYSTOLIC_PARAMETERS: Record<string, string> = Object.fromEntries(SYSTOLIC_PRESET_FIELDS.map((f) => [f, f]));
const presetParameters = (rec: Record<string, unknown>): Record<string, string> => (rec.preset === 'systolic' ? SYSTOLIC_PARAMETERS : GEMMINI_PARAMETERS);
const DEFAULT_CLOCK_MHZ = 1000;

export interface StudyArchitecture {
  /** The architecture file's data (`{architecture: ...}`), edited per design. */
  data: { architecture: Record<string, unknown> };
  /** The file, when the study named one (tables and messages are relative to it). */
  file?: string;
  kind: 'preset' | 'levels' | 'timeloop';
  /** Names a study may put in `space` / `fixed`. */
  parameters: string[];
}

/** A study's `architecture:` value as stored in a normalised study: a file name becomes absolute (relative to the study). */
export function resolveArchitectureRef(ref: string | Record<string, unknown>, baseDir: string): string | Record<string, unknown> {
  return typeof ref === 'string' && !isAbsolute(ref) ? resolve(baseDir, ref) : ref;
}

export function readStudyArchitecture(ref: string | Record<string, unknown>): StudyArchitecture {
  const file = typeof ref === 'string' ? ref : undefined;
  const data = (file !== undefined ? readDataFile(file) : { architecture: ref }) as { architecture?: unknown };
  const a = data?.architecture;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) {
    throw new DseError('invalid_architecture', 'expected a top-level `architecture:` mapping', { path: 'architecture', ...(file ? { file } : {}) });
  }
  const rec = a as Record<string, unknown>;
  architectureFromData(data, file); // the file itself must be valid before any design edits it
  let kind: StudyArchitecture['kind'];
  let parameters: string[];
  if ('subtree' in rec) {
    kind = 'timeloop';
    parameters = [];
  } else if ('preset' in rec) {
    kind = 'preset';
    parameters = Object.keys(presetParameters(rec)).filter((p) => p !== 'clockMHz');
  } else {
    kind = 'levels';
    const names = (rec.levels as { name: unknown }[]).map((l) => String(l.name).trim());
    parameters = [...names.flatMap((n) => LEVEL_ATTRIBUTES.map((k) => `levels.${n}.${k}`)), 'compute.instances', 'compute.macBits', 'vector.lanes'];
  }
  return { data: { architecture: rec }, ...(file ? { file } : {}), kind, parameters: [...parameters, 'clockMHz'] };
}

/** Why `name` is not a parameter of this architecture, in one line (null when it is one). */
export function unknownArchitectureParameter(sa: StudyArchitecture, name: string): string | null {
  if (sa.parameters.includes(name)) return null;
  const where = sa.file ? `in ${sa.file}` : 'in the inline architecture';
  if (sa.kind === 'timeloop') return `a Timeloop architecture file is used as written; only clockMHz can vary (convert it to accel-dse's levels form to vary ${name})`;
  const m = /^levels\.([^.]+)\.(.+)$/.exec(name);
  if (m && sa.kind === 'levels') {
    const levels = [...new Set(sa.parameters.filter((p) => p.startsWith('levels.')).map((p) => p.split('.')[1]))];
    if (!levels.includes(m[1]!)) return `no level named ${m[1]} ${where} (levels: ${levels.join(', ')})`;
    return `unknown level attribute ${m[2]} (known: ${LEVEL_ATTRIBUTES.join(', ')})`;
  }
  return `unknown architecture parameter ${where}; known: ${sa.parameters.join(', ')}`;
}

/** The architecture with a design's values applied (re-read, so energies and areas follow capacities). */
export function buildArchitecture(sa: StudyArchitecture, values: Record<string, ParamValue>): Architecture {
  const a = structuredClone(sa.data.architecture);
  for (const [name, v] of Object.entries(values)) {
    if (name === 'clockMHz' && !(sa.kind === 'preset' && a.preset === 'systolic')) continue;
    if (sa.kind === 'preset') a[presetParameters(a)[name]!] = v;
    else if (name.startsWith('compute.')) a.compute = { ...((a.compute as object) ?? {}), [name.slice('compute.'.length)]: v };
    else if (name.startsWith('vector.')) a.vector = { ...((a.vector as object) ?? {}), [name.slice('vector.'.length)]: v };
    else {
      const [, level, attr] = name.split('.') as [string, string, string];
      const levels = a.levels as Record<string, unknown>[];
      const l = levels.find((x) => String(x.name).trim() === level)!;
      // A capacity given one way replaces the file's, given either way.
      if (attr === 'capacityKiB') delete l.capacityWords;
      if (attr === 'capacityWords') delete l.capacityKiB;
      l[attr] = v;
    }
  }
  return architectureFromData({ architecture: a }, sa.file);
}

/** The clock a design runs at, MHz: the design's, else the architecture's own (the systolic preset's clockMHz), else 1000. */
export function clockMHzOf(values: Record<string, ParamValue>, sa?: StudyArchitecture): number {
  const own = sa?.data.architecture.clockMHz;
  const v = values.clockMHz ?? (typeof own === 'number' ? own : DEFAULT_CLOCK_MHZ);
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new DseError('invalid_architecture', `clockMHz must be a number > 0 (got ${JSON.stringify(v)})`, { path: 'clockMHz' });
  return v;
}

/** Checks a parameter value builds a valid architecture; the error names the study field. */
export function checkArchitectureValue(sa: StudyArchitecture, values: Record<string, ParamValue>, path: string): void {
  try {
    clockMHzOf(values, sa);
    buildArchitecture(sa, values);
  } catch (e) {
    if (!isDseError(e)) throw e;
    throw new DseError(e.code, `${e.path ? e.path + ': ' : ''}${e.message}`, { path });
  }
}

/** What costWorkload needs to evaluate one design on the architecture. */
export function architectureTarget(sa: StudyArchitecture, values: Record<string, ParamValue>, objective: MapperObjective, cache: MapperCache): ArchitectureTarget {
  return { architecture: buildArchitecture(sa, values), clockMHz: clockMHzOf(values, sa), objective, cache };
}


