import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stableHash } from '../../core/hash.ts';
import type { ConstraintViolation, Design, Trial, TrialStatus } from '../../core/types.ts';
import { createEvalContext, type Outcome } from '../../dse/evaluate-design.ts';
import { admissibility, type Study } from '../../dse/load-study.ts';
import { EvaluationPool } from '../../dse/pool.ts';
import { batchTrials } from '../../dse/trial-batch.ts';
import { Space } from '../../search/space.ts';
import { hashSources } from './source-stamp.ts';

/**
 * The exhaustive truth of a study's space: every design's outcome, evaluated once by the real
 * evaluation path (dse/evaluate-design.ts through dse/pool.ts), kept in typed columns indexed
 * by the design's mixed-radix index (search/space.ts). A searcher's evaluation is then a
 * lookup that yields exactly the trial the cost model would (status, objectives, violations).
 */

/** Status codes of the `status` column. INADMISSIBLE designs fail a design-only constraint and are never evaluated. */
export const OK = 0;
export const INFEASIBLE = 1;
export const FAILED = 2;
export const INADMISSIBLE = 3;

/** One possible constraint violation, in the order evaluateDesign lists violations. */
export interface ViolationSlot {
  name: string;
  limit: number;
  kind: 'max' | 'min';
}

export interface TruthTable {
  /** Cache identity: the study and the evaluation code that produced the table. */
  key: string;
  size: number;
  objectives: string[];
  /** OK, INFEASIBLE, FAILED or INADMISSIBLE per design index. */
  status: Uint8Array;
  /** size x objectives, row-major; NaN where the design failed or was not evaluated. */
  values: Float64Array;
  slots: ViolationSlot[];
  /** size x slots, row-major: the violating value, NaN where that slot is not violated. */
  violationValues: Float64Array;
  /** Error messages of failed designs: distinct messages, and per failed index its message. */
  failures: { messages: string[]; byIndex: Map<number, number> };
  /** Seconds the exhaustive evaluation took, and with how many worker threads. */
  evaluationS?: number;
  evaluationWorkers?: number;
}

/** Violation slots in evaluateDesign's order: design constraints, then metric ones; max before min. */
export function violationSlotsOf(study: Study): ViolationSlot[] {
  const { constraints } = createEvalContext(study.spec);
  const slots: ViolationSlot[] = [];
  for (const c of [...constraints.design, ...constraints.metric]) {
    if (c.bound.max !== undefined) slots.push({ name: c.name, limit: c.bound.max, kind: 'max' });
    if (c.bound.min !== undefined) slots.push({ name: c.name, limit: c.bound.min, kind: 'min' });
  }
  return slots;
}

/**
 * Hash of the source that decides an outcome: the cost model (models/) and the study-level
 * evaluation (dse/evaluate-design.ts and what it calls). A cached table is reused only while
 * this hash and the study are unchanged, so an edit to the cost model re-evaluates the space.
 */
export function evaluationSourceHash(): string {
  return hashSources(['models', 'dse/evaluate-design.ts', 'dse/study-constraints.ts', 'dse/schedule-plan.ts']);
}

export function truthKey(study: Study): string {
  return `${study.spec.name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stableHash({ study: study.hash, source: evaluationSourceHash() })}`;
}

export interface ComputeOptions {
  /** Worker threads (0: this thread). */
  workers: number;
  /** Designs per pool call (the pool cuts each into a few chunks per worker). */
  batchSize?: number;
  onProgress?: (done: number, size: number) => void;
}

/** Evaluates every design of the study's space once. The space must be indexable (<= 2^53 designs). */
export async function computeTruthTable(study: Study, opts: ComputeOptions): Promise<TruthTable> {
  const started = Date.now();
  const space = new Space(study.parameters, study.fixed);
  const size = space.size;
  if (!space.indexable || size > 50_000_000) throw new Error(`space of ${size} designs is too large for an exhaustive truth table`);
  const d = study.objectives.length;
  const slots = violationSlotsOf(study);
  const table: TruthTable = {
    key: truthKey(study),
    size,
    objectives: [...study.objectives],
    status: new Uint8Array(size),
    values: new Float64Array(size * d).fill(NaN),
    slots,
    violationValues: new Float64Array(size * slots.length).fill(NaN),
    failures: { messages: [], byIndex: new Map() },
  };
  const admissible = admissibility(study);
  const pool = new EvaluationPool(study.spec, opts.workers);
  const batchSize = opts.batchSize ?? 4000;
  try {
    for (let start = 0; start < size; start += batchSize) {
      const end = Math.min(size, start + batchSize);
      const indexes: number[] = [];
      const designs: Design[] = [];
      for (let i = start; i < end; i++) {
        const design = space.designAt(i);
        if (admissible(design)) {
          indexes.push(i);
          designs.push(design);
        } else table.status[i] = INADMISSIBLE;
      }
      const outcomes = batchTrials(await pool.evaluate(designs));
      outcomes.forEach((o, k) => record(table, indexes[k]!, o));
      opts.onProgress?.(end, size);
    }
  } finally {
    await pool.close();
  }
  table.evaluationS = (Date.now() - started) / 1000;
  table.evaluationWorkers = opts.workers;
  return table;
}

function record(table: TruthTable, index: number, o: Outcome): void {
  const d = table.objectives.length;
  if (o.status === 'failed' || !o.objectives) {
    table.status[index] = FAILED;
    const message = o.error ?? 'failed';
    let id = table.failures.messages.indexOf(message);
    if (id < 0) id = table.failures.messages.push(message) - 1;
    table.failures.byIndex.set(index, id);
    return;
  }
  table.status[index] = o.status === 'ok' ? OK : INFEASIBLE;
  for (let j = 0; j < d; j++) table.values[index * d + j] = o.objectives[j]!;
  for (const v of o.violations ?? []) {
    const s = table.slots.findIndex((slot) => slot.name === v.name && slot.kind === v.kind && slot.limit === v.limit);
    if (s < 0) throw new Error(`violation ${JSON.stringify(v)} matches no constraint of the study`);
    table.violationValues[index * table.slots.length + s] = v.value;
  }
}

/** The trial evaluating `design` (index `index` of the space) would give, at position `seq` of a run. */
export function trialAt(table: TruthTable, index: number, design: Design, seq: number): Trial {
  const code = table.status[index]!;
  if (code === INADMISSIBLE) throw new Error(`design ${index} is inadmissible and has no outcome`);
  const hash = stableHash(design);
  if (code === FAILED) {
    return { seq, hash, design, status: 'failed', error: table.failures.messages[table.failures.byIndex.get(index)!] ?? 'failed' };
  }
  const d = table.objectives.length;
  const objectives = Array.from(table.values.subarray(index * d, index * d + d));
  const status: TrialStatus = code === OK ? 'ok' : 'infeasible';
  const violations: ConstraintViolation[] = [];
  const s = table.slots.length;
  for (let k = 0; k < s; k++) {
    const value = table.violationValues[index * s + k]!;
    if (!Number.isNaN(value)) violations.push({ name: table.slots[k]!.name, value, limit: table.slots[k]!.limit, kind: table.slots[k]!.kind });
  }
  return { seq, hash, design, status, objectives, ...(violations.length > 0 ? { violations } : {}) };
}

/** Objective vectors of every feasible design, with their indexes. */
export function feasiblePoints(table: TruthTable): { indexes: number[]; points: number[][] } {
  const d = table.objectives.length;
  const indexes: number[] = [];
  const points: number[][] = [];
  for (let i = 0; i < table.size; i++) {
    if (table.status[i] !== OK) continue;
    indexes.push(i);
    points.push(Array.from(table.values.subarray(i * d, i * d + d)));
  }
  return { indexes, points };
}

export function statusCounts(table: TruthTable): Record<'ok' | 'infeasible' | 'failed' | 'inadmissible', number> {
  const c = [0, 0, 0, 0];
  for (let i = 0; i < table.size; i++) c[table.status[i]!]!++;
  return { ok: c[OK]!, infeasible: c[INFEASIBLE]!, failed: c[FAILED]!, inadmissible: c[INADMISSIBLE]! };
}

interface CacheHeader {
  key: string;
  size: number;
  objectives: string[];
  slots: ViolationSlot[];
  failures: { messages: string[]; byIndex: [number, number][] };
  evaluationS?: number;
  evaluationWorkers?: number;
}

/**
 * Cache layout: `<key>.json` (header) and `<key>.bin` (values, violation values, status, in
 * that order, little-endian as the platform writes typed arrays). Written to temporary names
 * and renamed, so an interrupted write leaves no half table behind.
 */
export function saveTruthTable(dir: string, table: TruthTable): void {
  mkdirSync(dir, { recursive: true });
  const header: CacheHeader = {
    key: table.key,
    size: table.size,
    objectives: table.objectives,
    slots: table.slots,
    failures: { messages: table.failures.messages, byIndex: [...table.failures.byIndex] },
    ...(table.evaluationS !== undefined ? { evaluationS: table.evaluationS } : {}),
    ...(table.evaluationWorkers !== undefined ? { evaluationWorkers: table.evaluationWorkers } : {}),
  };
  const bin = join(dir, `${table.key}.bin`);
  const json = join(dir, `${table.key}.json`);
  const buffers = [table.values, table.violationValues, table.status].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(`${bin}.tmp`, Buffer.concat(buffers));
  writeFileSync(`${json}.tmp`, JSON.stringify(header));
  renameSync(`${bin}.tmp`, bin);
  renameSync(`${json}.tmp`, json);
}

/** The cached table with this key, or undefined when there is none (or it is damaged). */
export function loadTruthTable(dir: string, key: string): TruthTable | undefined {
  const json = join(dir, `${key}.json`);
  const bin = join(dir, `${key}.bin`);
  if (!existsSync(json) || !existsSync(bin)) return undefined;
  const header = JSON.parse(readFileSync(json, 'utf8')) as CacheHeader;
  const d = header.objectives.length;
  const s = header.slots.length;
  const raw = readFileSync(bin);
  const valuesBytes = header.size * d * 8;
  const violationBytes = header.size * s * 8;
  if (header.key !== key || raw.byteLength !== valuesBytes + violationBytes + header.size) return undefined;
  // Copy into fresh, aligned arrays (a Buffer's offset inside Node's pool need not be 8-aligned).
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const values = new Float64Array(header.size * d);
  new Uint8Array(values.buffer).set(bytes.subarray(0, valuesBytes));
  const violationValues = new Float64Array(header.size * s);
  new Uint8Array(violationValues.buffer).set(bytes.subarray(valuesBytes, valuesBytes + violationBytes));
  const status = bytes.slice(valuesBytes + violationBytes);
  return {
    key,
    size: header.size,
    objectives: header.objectives,
    status,
    values,
    slots: header.slots,
    violationValues,
    failures: { messages: header.failures.messages, byIndex: new Map(header.failures.byIndex) },
    ...(header.evaluationS !== undefined ? { evaluationS: header.evaluationS } : {}),
    ...(header.evaluationWorkers !== undefined ? { evaluationWorkers: header.evaluationWorkers } : {}),
  };
}
