import { dirname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { DseError, isDseError } from '../core/errors.ts';
import { readDataFile } from '../core/data-file.ts';
import { stableHash } from '../core/hash.ts';
import type { Design, Parameter, ParamValue } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import { DEFAULT_HARDWARE, normalizeHardware } from '../models/hardware.ts';
import { loadWorkload, loadWorkloadReporting } from '../models/workload/load-workload.ts';
import type { Workload } from '../models/types.ts';
import { smallestReachableRatio } from './mixed-precision.ts';
import { studyProblemHash } from './study-problem.ts';
import { toolVersion } from './version.ts';
import { studySchema, type StudySpec } from './study-schema.ts';
import { createSearcher } from '../search/registry.ts';
import { expandSpace, spaceSizeOf } from './study-space.ts';
import { designViolations, parseConstraints, type ParsedConstraints } from './study-constraints.ts';
import { parseObjectives, type ObjectiveSpec } from './study-objectives.ts';
import { checkArchitectureValue, readStudyArchitecture, resolveArchitectureRef, unknownArchitectureParameter, type StudyArchitecture } from './study-architecture.ts';

/** A validated study, ready to run: the normalised spec plus what is derived from it. */
export interface Study {
  /** The normalised study (defaults filled in, workload file paths absolute). Stored in the journal header. */
  spec: StudySpec;
  /** Stable hash of `spec`: shards and runs of the same study share it. */
  hash: string;
  /** The problem it poses (dse/study-problem.ts): what runs compare by, wherever its files live. */
  problemHash: string;
  parameters: Parameter[];
  fixed: Record<string, ParamValue>;
  /** Objective names (metric keys such as `tokensPerS` or `latencyS@bert_base`), in study order. */
  objectives: string[];
  /** The same with their sense: maximised ones are negated in trials. */
  objectiveSpecs: ObjectiveSpec[];
  /** Each workload's label in per-workload metrics (`<metric>@<label>`), in study order. */
  labels: string[];
  constraints: ParsedConstraints;
  spaceSize: number;
  /** The study file, when it came from one. */
  file?: string;
  /** What loading its workloads had to say (ONNX nodes passed over under unknownOps: free). */
  warnings: string[];
}

export interface StudyOverrides {
  budget?: number;
  seed?: number;
  /** Another searcher for the same study; its settings (search.options) start from defaults. */
  algorithm?: string;
}

/** Reads, validates and normalises a study file (YAML or JSON). Throws DseError naming file and field. */
export function loadStudy(file: string, overrides: StudyOverrides = {}): Study {
  const raw = readDataFile(file);
  try {
    return studyFromObject(raw, { baseDir: dirname(resolve(file)), overrides, file });
  } catch (e) {
    throw isDseError(e) ? e.inFile(file) : e;
  }
}

/** Validates and normalises a study given as data; `baseDir` resolves relative workload files. */
export function studyFromObject(raw: unknown, opts: { baseDir?: string; overrides?: StudyOverrides; file?: string } = {}): Study {
  const parsed = validate(studySchema, raw);
  const baseDir = opts.baseDir ?? process.cwd();
  const spec: StudySpec = {
    ...parsed,
    ...(parsed.architecture !== undefined ? { architecture: resolveArchitectureRef(parsed.architecture, baseDir) } : {}),
    workloads: parsed.workloads.map((w) => {
      const ref = typeof w === 'string' ? { name: w, params: {}, weight: 1 } : w;
      return { ...ref, name: resolveWorkloadName(ref.name, baseDir) };
    }),
    search: {
      ...parsed.search,
      ...(opts.overrides?.budget !== undefined ? { budget: opts.overrides.budget } : {}),
      ...(opts.overrides?.seed !== undefined ? { seed: opts.overrides.seed } : {}),
      ...(opts.overrides?.algorithm !== undefined && opts.overrides.algorithm !== parsed.search.algorithm
        ? { algorithm: opts.overrides.algorithm, options: {} }
        : {}),
    },
  };
  return deriveStudy(spec, opts.file);
}

/** Rebuilds a Study from a normalised spec (a journal header's), re-validating it. */
export function studyFromSpec(spec: unknown): Study {
  return deriveStudy(validate(studySchema, spec) as StudySpec);
}

function deriveStudy(spec: StudySpec, file?: string): Study {
  if (spec.architecture !== undefined) return deriveArchitectureStudy(spec, file);
  if (spec.mapper !== undefined) throw new DseError('mapper_without_architecture', 'mapper settings need an architecture (the flat hardware model has no mapper)', { path: 'mapper' });
  const hardwareParams = new Set(Object.keys(DEFAULT_HARDWARE));
  for (const name of Object.keys(spec.space)) {
    if (!hardwareParams.has(name)) throw new DseError('unknown_parameter', `unknown hardware parameter; known: ${[...hardwareParams].join(', ')}`, { path: `space.${name}` });
    if (name in spec.fixed) throw new DseError('parameter_twice', 'is both searched (space) and fixed', { path: `fixed.${name}` });
  }
  for (const name of Object.keys(spec.fixed)) {
    if (!hardwareParams.has(name)) throw new DseError('unknown_parameter', `unknown hardware parameter; known: ${[...hardwareParams].join(', ')}`, { path: `fixed.${name}` });
  }
  const given = new Set([...Object.keys(spec.space), ...Object.keys(spec.fixed)]);
  const split = ['ifmapSramKiB', 'filterSramKiB', 'ofmapSramKiB'].filter((k) => given.has(k));
  if (given.has('glbKiB') && split.length > 0) {
    const where = split[0]! in spec.space ? 'space' : 'fixed';
    throw new DseError('sram_twice', 'glbKiB (one shared buffer) replaces the split SRAMs; give one or the other', { path: `${where}.${split[0]}` });
  }
  normalizeHardware(spec.fixed, { pathPrefix: 'fixed' });
  const parameters = expandSpace(spec.space);
  for (const p of parameters) {
    for (const v of p.values) {
      try {
        normalizeHardware({ ...spec.fixed, [p.name]: v });
      } catch (e) {
        if (!isDseError(e)) throw e;
        throw new DseError(e.code, `value ${JSON.stringify(v)}: ${e.message}`, { path: `space.${p.name}` });
      }
    }
  }
  return finishStudy(spec, parameters, hardwareParams, undefined, file);
}

/**
 * A study over an architecture: space and fixed name the architecture's parameters (see
 * study-architecture.ts); every value must build a valid architecture. Fusion schedules and
 * mixed precision belong to the flat model and are refused here.
 */
function deriveArchitectureStudy(spec: StudySpec, file?: string): Study {
  if (spec.mixedPrecision !== undefined) throw new DseError('unsupported_with_architecture', 'mixedPrecision is not supported with an architecture (the mapper costs each layer at the architecture\'s word widths)', { path: 'mixedPrecision' });
  let sa: StudyArchitecture;
  try {
    sa = readStudyArchitecture(spec.architecture!);
  } catch (e) {
    if (!isDseError(e)) throw e;
    throw new DseError(e.code, `${e.file ? e.file + ': ' : ''}${e.path ? e.path + ': ' : ''}${e.message}`, { path: 'architecture' });
  }
  for (const [section, names] of [['space', Object.keys(spec.space)], ['fixed', Object.keys(spec.fixed)]] as const) {
    for (const name of names) {
      const why = unknownArchitectureParameter(sa, name);
      if (why !== null) throw new DseError(name === 'fusion' ? 'unsupported_with_architecture' : 'unknown_parameter', name === 'fusion' ? 'fusion is not supported with an architecture (layers run one after another through DRAM)' : why, { path: `${section}.${name}` });
      if (section === 'space' && name in spec.fixed) throw new DseError('parameter_twice', 'is both searched (space) and fixed', { path: `fixed.${name}` });
    }
  }
  checkArchitectureValue(sa, spec.fixed, 'fixed');
  const parameters = expandSpace(spec.space);
  for (const p of parameters) {
    for (const v of p.values) checkArchitectureValue(sa, { ...spec.fixed, [p.name]: v }, `space.${p.name}`);
  }
  return finishStudy(spec, parameters, new Set(sa.parameters), sa, file);
}

function finishStudy(spec: StudySpec, parameters: Parameter[], hardwareParams: Set<string>, architecture: StudyArchitecture | undefined, file?: string): Study {
  if (spec.search.batchSize > spec.search.budget) spec.search.batchSize = spec.search.budget;
  if (spec.mixedPrecision) checkReachableRatio(spec, parameters);
  const labels: string[] = [];
  const warnings: string[] = [];
  const workloads: Workload[] = [];
  spec.workloads.forEach((w, i) => {
    try {
      const loaded = loadWorkloadReporting(w.name, w.params);
      workloads.push(loaded.workload);
      warnings.push(...loaded.warnings);
      labels.push(w.label ?? loaded.workload.name);
    } catch (e) {
      if (!isDseError(e)) throw e;
      throw new DseError(e.code, e.file ? e.toLine() : e.message, { path: `workloads.${i}${e.path && e.path !== 'name' ? '.' + e.path : ''}` });
    }
    const first = labels.indexOf(labels[i]!);
    if (first < i) throw new DseError('label_twice', `workloads ${first} and ${i} are both labelled '${labels[i]}'; give one a label`, { path: `workloads.${i}.label` });
  });
  const objectiveSpecs = parseObjectives(spec.objectives, labels);
  const constraints = parseConstraints(spec.constraints, new Set([...hardwareParams]), labels);
  // Building the searcher checks the algorithm name and its settings now, so `dse validate`
  // and `dse slurm` catch them before any run starts.
  createSearcher(spec.search.algorithm, {
    parameters,
    fixed: spec.fixed,
    seed: spec.search.seed,
    budget: spec.search.budget,
    settings: spec.search.options,
  });
  return {
    spec,
    hash: stableHash(spec),
    problemHash: studyProblemHash(spec, workloads, architecture, toolVersion()),
    parameters,
    fixed: spec.fixed,
    objectives: objectiveSpecs.map((o) => o.name),
    objectiveSpecs,
    labels,
    constraints,
    spaceSize: spaceSizeOf(parameters),
    ...(file ? { file } : {}),
    warnings,
  };
}

/** Zoo names stay as they are; a name that is a file (relative to the study) becomes an absolute path. */
function resolveWorkloadName(name: string, baseDir: string): string {
  if (isAbsolute(name)) return name;
  const candidate = resolve(baseDir, name);
  return /[/\\]|\.(ya?ml|json|csv|onnx)$/i.test(name) || existsSync(candidate) ? candidate : name;
}

/** True when a design satisfies every design-only constraint (so searchers never ask it otherwise). */
export function admissibility(study: Study): (design: Design) => boolean {
  if (study.constraints.design.length === 0) return () => true;
  const defaults = DEFAULT_HARDWARE as unknown as Record<string, unknown>;
  return (design) => designViolations(study.constraints.design, { ...defaults, ...study.fixed, ...design }).length === 0;
}

/**
 * A maxQuantErrorRatio no choice can meet for any design of the space would fail every trial:
 * say so now. The design with the fewest bits has the most error to cut, so if even its
 * smallest reachable ratio is above the limit, no design reaches it.
 */
function checkReachableRatio(spec: StudySpec, parameters: { name: string; values: (number | string)[] }[]): void {
  const mp = spec.mixedPrecision!;
  const fewest = (name: 'weightBits' | 'activationBits'): number => {
    const searched = parameters.find((p) => p.name === name);
    const values = searched ? searched.values : [spec.fixed[name] ?? DEFAULT_HARDWARE[name]];
    return Math.min(...values.map(Number));
  };
  const reachable = smallestReachableRatio(mp.choices, fewest('weightBits'), fewest('activationBits'));
  if (mp.maxQuantErrorRatio < reachable) {
    throw new DseError(
      'unreachable_quant_error',
      `${mp.maxQuantErrorRatio} is below ${Number(reachable.toPrecision(3))}, the smallest ratio any of the choices reaches for any design of the space: every trial would fail`,
      { path: 'mixedPrecision.maxQuantErrorRatio' },
    );
  }
}
