import { naturalValue, naturalValues, senseSentence } from './objective-sense.ts';
import { existsSync } from 'node:fs';
import { makeDirectory, writeWholeFile } from '../core/write-file.ts';
import { csvField } from '../core/inert-text.ts';
import { join } from 'node:path';
import { z } from 'zod';
import { DseError } from '../core/errors.ts';
import { readTextFile } from '../core/data-file.ts';
import { validate } from '../core/validate.ts';
import { stableHash } from '../core/hash.ts';
import type { JournalHeader, Trial } from '../core/types.ts';
import { hypervolume } from './hypervolume.ts';
import { kneeIndex } from './front-archive.ts';
import { readJournalHeader } from './journal.ts';
import { headerProblemHash, searchEffortOf, type SearchEffort } from './problem-hash.ts';
import { normalizationOf, normalize, referencePoint, type Normalization } from './normalize.ts';
import { fmtNum, mdCell, mdTable } from './check-markdown.ts';

/**
 * The files a run leaves next to its journal: front.json (machine-readable, what `dse check`
 * and `dse baseline` read), front.csv (for spreadsheets and pandas) and summary.md (for people).
 * All three are rewritten whole (write to a temporary name, then rename), so a reader never
 * sees half a file.
 */

export interface TrialCounts {
  total: number;
  ok: number;
  infeasible: number;
  failed: number;
}

export interface RunOutputsInput {
  header: JournalHeader;
  /** The non-dominated feasible trials. */
  front: Trial[];
  counts: TrialCounts;
  elapsedS?: number;
}

/** Metrics shown beside the objectives in front.csv and summary.md, when a trial has them. */
export const MAIN_METRICS = ['latencyS', 'energyPJ', 'areaMM2', 'dramBytes', 'edp', 'quantError', 'utilization'] as const;

const FRONT_FORMAT = 'accel-dse-front';

const normalizationSchema = z.object({ ideal: z.array(z.number()), nadir: z.array(z.number()) });
const trialSchema = z.looseObject({
  seq: z.number().int(),
  hash: z.string().min(1),
  design: z.record(z.string(), z.union([z.number(), z.string()])),
  status: z.enum(['ok', 'infeasible', 'failed']),
  metrics: z.record(z.string(), z.number().nullable()).optional(),
  objectives: z.array(z.number()),
});
const frontFileSchema = z.looseObject({
  format: z.literal(FRONT_FORMAT),
  formatVersion: z.literal(1),
  study: z.looseObject({
    name: z.string(),
    hash: z.string().min(1),
    hashIgnoringSeed: z.string().min(1),
    problemHash: z.string().min(1).optional(),
    search: z.looseObject({ algorithm: z.string(), budget: z.number().nullable(), seed: z.number().nullable(), batchSize: z.number().nullable() }).optional(),
  }),
  seed: z.number(),
  toolVersion: z.string(),
  createdAt: z.string(),
  objectives: z.array(z.string()).min(1),
  maximize: z.array(z.string()).optional(),
  normalization: normalizationSchema,
  referencePoint: z.array(z.number()),
  hypervolume: z.number(),
  knee: z.string().optional(),
  counts: z.object({ total: z.number(), ok: z.number(), infeasible: z.number(), failed: z.number() }),
  elapsedS: z.number().optional(),
  front: z.array(trialSchema),
});

/** front.json as written by writeRunOutputs. */
export interface FrontFile {
  format: typeof FRONT_FORMAT;
  formatVersion: 1;
  /**
   * `hash` is the journal's study hash; `hashIgnoringSeed` hashes the study without its
   * search.seed, so runs of one study under several seeds can be recognised as such.
   */
  study: {
    name: string;
    hash: string;
    hashIgnoringSeed: string;
    /**
     * The problem the run solves (results/problem-hash.ts): runs with equal problem hashes are
     * compared by `dse check` and `dse report` whatever their searcher, budget, seed or batch
     * size. Absent from front.json files written before it existed; `readFront` then derives
     * it from the journal beside them when there is one.
     */
    problemHash?: string;
    /** How the run searched: shown beside comparisons, never compared. */
    search?: SearchEffort;
  };
  seed: number;
  shard?: { index: number; count: number };
  toolVersion: string;
  /** When the run started (the journal header's createdAt). */
  createdAt: string;
  objectives: string[];
  /** Maximised objectives: their values in `front` are negated (absent: all minimised). */
  maximize?: string[];
  /** Ideal and nadir of this front: objective values are mapped to (x - ideal) / (nadir - ideal). */
  normalization: Normalization;
  /** In normalised units. */
  referencePoint: number[];
  /** Of the normalised front, up to the reference point. */
  hypervolume: number;
  counts: TrialCounts;
  elapsedS?: number;
  /**
   * Hash of the knee design (results/front-archive.ts `kneeIndex`: closest to the ideal point
   * in the front's own normalisation); its row in `front` carries `knee: true`. Absent when the
   * front is empty.
   */
  knee?: string;
  /** Ordered by the first objective, then the next ones. */
  front: (Trial & { knee?: true })[];
}

export function writeRunOutputs(dir: string, input: RunOutputsInput): FrontFile {
  const { header } = input;
  const m = header.objectives.length;
  for (const t of input.front) {
    if (t.status !== 'ok' || !t.objectives || t.objectives.length !== m) {
      throw new Error(`writeRunOutputs: front trial ${t.hash} must be 'ok' with ${m} objective values`);
    }
  }
  const sorted = [...input.front].sort(byObjectives);
  const points = sorted.map((t) => t.objectives!);
  const kneeAt = points.length > 0 ? kneeIndex(points) : -1;
  const front = sorted.map((t, i) => (i === kneeAt ? { ...t, knee: true as const } : t));
  const normalization = normalizationOf(points);
  const ref = referencePoint(m);
  const hv = points.length > 0 ? hypervolume(normalize(points, normalization), ref) : 0;
  const study = studyView(header.study);

  const file: FrontFile = {
    format: FRONT_FORMAT,
    formatVersion: 1,
    study: {
      name: study.name,
      hash: header.studyHash,
      hashIgnoringSeed: studyHashIgnoringSeed(header.study),
      problemHash: headerProblemHash(header),
      search: searchEffortOf(header.study),
    },
    seed: header.seed,
    ...(header.shard ? { shard: header.shard } : {}),
    toolVersion: header.version,
    createdAt: header.createdAt,
    objectives: [...header.objectives],
    ...(header.maximize?.length ? { maximize: [...header.maximize] } : {}),
    normalization,
    referencePoint: ref,
    hypervolume: hv,
    counts: { ...input.counts },
    ...(input.elapsedS !== undefined ? { elapsedS: input.elapsedS } : {}),
    ...(kneeAt >= 0 ? { knee: front[kneeAt]!.hash } : {}),
    front,
  };

  makeDirectory(dir);
  writeWholeFile(join(dir, 'front.json'), JSON.stringify(file, null, 1) + '\n');
  writeWholeFile(join(dir, 'front.csv'), frontCsv(header, front));
  writeWholeFile(join(dir, 'summary.md'), summaryMarkdown(file, study, input.counts, input.elapsedS));
  return file;
}

/** Reads and checks `front.json` of a run directory. */
export function readFront(dir: string): FrontFile {
  const path = join(dir, 'front.json');
  const text = readTextFile(path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DseError('malformed_json', `malformed JSON: ${(e as Error).message}`, { file: path });
  }
  const f = validate(frontFileSchema, data, { file: path }) as unknown as FrontFile;
  const m = f.objectives.length;
  f.front.forEach((t, i) => {
    if (t.objectives!.length !== m) throw new DseError('invalid_field', `has ${t.objectives!.length} objective values, expected ${m}`, { file: path, path: `front.${i}.objectives` });
  });
  if (f.study.problemHash === undefined) {
    // Written before front.json carried the problem: the journal beside it tells.
    const journal = join(dir, 'journal.jsonl');
    if (existsSync(journal)) {
      const header = readJournalHeader(journal);
      f.study.problemHash = headerProblemHash(header);
      f.study.search ??= searchEffortOf(header.study);
    }
  }
  return f;
}

/** Hash of the normalised study with search.seed left out (the seed is the run's, not the study's identity). */
export function studyHashIgnoringSeed(study: unknown): string {
  const s = rec(study);
  return stableHash({ ...s, search: { ...rec(s.search), seed: undefined } });
}


function byObjectives(a: Trial, b: Trial): number {
  const x = a.objectives!;
  const y = b.objectives!;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  // Twins (identical objectives) by seq, as the report orders them, so both name the same knee.
  return a.seq - b.seq || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
}

// ---- the study, read defensively (it is the normalised study, but other fields may appear) ----

interface StudyView {
  name: string;
  workloads: { name: string; params: Record<string, unknown>; weight: number | undefined }[];
  space: Record<string, unknown>;
  fixed: Record<string, unknown>;
  constraints: Record<string, { max?: unknown; min?: unknown }>;
  search: { algorithm?: unknown; budget?: unknown; seed?: unknown; batchSize?: unknown; options?: unknown };
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function studyView(study: unknown): StudyView {
  const s = rec(study);
  const workloads = Array.isArray(s.workloads)
    ? s.workloads.map((w) =>
        typeof w === 'string' ? { name: w, params: {}, weight: undefined } : { name: String(rec(w).name ?? ''), params: rec(rec(w).params), weight: typeof rec(w).weight === 'number' ? (rec(w).weight as number) : undefined },
      )
    : [];
  return {
    name: typeof s.name === 'string' ? s.name : '(unnamed study)',
    workloads,
    space: rec(s.space),
    fixed: rec(s.fixed),
    constraints: rec(s.constraints) as StudyView['constraints'],
    search: rec(s.search),
  };
}

/** Design parameters in a stable order: the space's, then the fixed ones, then any others seen. */
function designColumns(study: StudyView, front: Trial[]): string[] {
  const cols = [...Object.keys(study.space), ...Object.keys(study.fixed)];
  const seen = new Set(cols);
  const extra = new Set<string>();
  for (const t of front) for (const k of Object.keys(t.design)) if (!seen.has(k)) extra.add(k);
  const inDesigns = new Set(front.flatMap((t) => Object.keys(t.design)));
  // Columns of the study that no front design carries are left out (an empty front keeps them all).
  const kept = front.length > 0 ? cols.filter((c) => inDesigns.has(c)) : cols;
  return [...kept, ...[...extra].sort()];
}

/** Per-workload metrics (`<metric>@<label>`) front.csv shows for studies of several workloads. */
const PER_WORKLOAD_COLUMNS = /^(latencyS|energyPJ|dramBytes|tokensPerS|inferencesPerS)@/;

function metricColumns(objectives: string[], front: Trial[]): string[] {
  const main = MAIN_METRICS.filter((k) => !objectives.includes(k) && front.some((t) => t.metrics?.[k] !== undefined));
  const perWorkload = Object.keys(front[0]?.metrics ?? {}).filter((k) => PER_WORKLOAD_COLUMNS.test(k) && !objectives.includes(k));
  return [...main, ...perWorkload];
}

// ---- front.csv ----

function frontCsv(header: JournalHeader, front: FrontFile['front']): string {
  const study = studyView(header.study);
  const params = designColumns(study, front);
  const metrics = metricColumns(header.objectives, front);
  // `knee` is 1 on the knee design's row, 0 elsewhere.
  const lines = [['seq', 'hash', 'knee', ...params, ...header.objectives, ...metrics].map(csvField).join(',')];
  for (const t of front) {
    lines.push(
      [t.seq, t.hash, t.knee ? 1 : 0, ...params.map((p) => t.design[p]), ...naturalValues(t.objectives!, header.objectives, header.maximize), ...metrics.map((k) => t.metrics?.[k])]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

// ---- summary.md ----

/** Front rows shown in summary.md; the whole front is in front.csv. */
const SUMMARY_FRONT_ROWS = 50;

function compact(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function summaryMarkdown(file: FrontFile, study: StudyView, counts: TrialCounts, elapsedS: number | undefined): string {
  const out: string[] = [];
  const { front, objectives } = file;
  out.push(`# ${mdCell(study.name)}\n`);
  out.push(
    `Study hash \`${file.study.hash}\`, problem hash \`${file.study.problemHash}\`, seed ${file.seed}${file.shard ? `, shard ${file.shard.index}/${file.shard.count}` : ''}, accel-dse ${mdCell(file.toolVersion)}, started ${mdCell(file.createdAt)}.\n`,
  );

  out.push('## Workloads\n');
  out.push(mdTable(['workload', 'params', 'weight'], study.workloads.map((w) => [mdCell(w.name), mdCell(Object.keys(w.params).length ? compact(w.params) : ''), w.weight === undefined ? '' : fmtNum(w.weight)])));

  out.push('## Space\n');
  const spaceRows = Object.entries(study.space).map(([k, d]) => [mdCell(k), mdCell(compact(d))]);
  const fixedRows = Object.entries(study.fixed).map(([k, v]) => [mdCell(k), `fixed: ${mdCell(compact(v))}`]);
  out.push(mdTable(['parameter', 'domain'], [...spaceRows, ...fixedRows]));

  out.push('## Objectives and constraints\n');
  out.push(`${senseSentence(objectives, file.maximize, mdCell)}\n`);
  const cons = Object.entries(study.constraints);
  if (cons.length === 0) out.push('No constraints.\n');
  else out.push(mdTable(['constraint', 'min', 'max'], cons.map(([k, b]) => [mdCell(k), b?.min === undefined ? '' : mdCell(compact(b.min)), b?.max === undefined ? '' : mdCell(compact(b.max))])));

  out.push('## Search\n');
  const s = study.search;
  const opts = rec(s.options);
  const budget = typeof s.budget === 'number' ? s.budget : undefined;
  out.push(
    [
      `- searcher: ${mdCell(s.algorithm ?? '(default)')}${Object.keys(opts).length ? ` with options ${mdCell(compact(opts))}` : ''}`,
      `- budget used: ${counts.total}${budget !== undefined ? ` of ${budget}` : ''} designs (${counts.ok} feasible, ${counts.infeasible} infeasible, ${counts.failed} failed)`,
      ...(elapsedS !== undefined ? [`- elapsed: ${fmtNum(elapsedS)} s`] : []),
    ].join('\n') + '\n',
  );

  out.push('## Front\n');
  if (front.length === 0) {
    out.push('No feasible design was found, so the front is empty.\n');
    return out.join('\n');
  }
  out.push(
    `${front.length} non-dominated design${front.length === 1 ? '' : 's'} (designs with identical objectives each count). Hypervolume ${fmtNum(file.hypervolume)}, of the front normalised to its own ideal (0) and nadir (1) per objective, up to the reference point (${file.referencePoint.map(fmtNum).join(', ')}).\n`,
  );
  const params = designColumns(study, front);
  const shown = front.slice(0, SUMMARY_FRONT_ROWS);
  out.push(mdTable(['hash', ...objectives.map(mdCell), ...params.map(mdCell)], shown.map((t) => [`\`${t.hash}\``, ...naturalValues(t.objectives!, objectives, file.maximize).map(fmtNum), ...params.map((p) => mdCell(t.design[p] ?? ''))])));
  if (front.length > shown.length) out.push(`(first ${shown.length} of ${front.length}, by ${mdCell(objectives[0])}; all of them are in front.csv)\n`);

  const knee = front.find((t) => t.knee);
  if (knee) {
    out.push('## Knee\n');
    out.push(
      `The most balanced design: the one closest to the ideal point with each objective scaled to the front's range (\`dse report --design knee\` dissects it).\n`,
    );
    out.push(mdTable(['hash', ...objectives.map(mdCell), ...params.map(mdCell)], [[`\`${knee.hash}\``, ...naturalValues(knee.objectives!, objectives, file.maximize).map(fmtNum), ...params.map((p) => mdCell(knee.design[p] ?? ''))]]));
  }

  out.push('## Best design per objective\n');
  const best = objectives.map((o, i) => {
    let b = front[0]!;
    for (const t of front) if (t.objectives![i]! < b.objectives![i]!) b = t;
    return [mdCell(o), fmtNum(naturalValue(b.objectives![i]!, o, file.maximize)), `\`${b.hash}\``, mdCell(compact(b.design))];
  });
  out.push(mdTable(['objective', 'best value', 'hash', 'design'], best));
  return out.join('\n');
}
