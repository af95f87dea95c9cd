import { z } from 'zod';

/**
 * The study file format. This one schema is the validation (with field paths in messages),
 * the source of the TypeScript types (z.infer) and the JSON Schema editors use (`dse schema`).
 * Every object is strict: an unknown key is an error, never silently ignored.
 */

const paramValue = z.union([z.number(), z.string()]);

/**
 * A parameter's domain. Exactly one form:
 *   [8, 16, 32]                      a list of values (shorthand for {values: [...]})
 *   {values: [8, 16, 32]}            a list of values, in this order
 *   {int: {min: 4, max: 64, step: 4}} an integer range
 *   {pow2: {min: 8, max: 256}}       powers of two between bounds
 *   {categorical: [os, ws, is]}      unordered choices
 */
export const domainSchema = z.union([
  z.array(paramValue).min(1, 'needs at least one value'),
  z
    .strictObject({
      values: z.array(paramValue).min(1, 'needs at least one value').optional(),
      int: z
        .strictObject({
          min: z.number().int(),
          max: z.number().int(),
          step: z.number().int().positive().default(1),
        })
        .refine((r) => r.max >= r.min, { message: 'max must be >= min', path: ['max'] })
        .optional(),
      pow2: z
        .strictObject({ min: z.number().positive().max(2 ** 40), max: z.number().positive().max(2 ** 40, 'at most 2^40') })
        .refine((r) => r.max >= r.min, { message: 'max must be >= min', path: ['max'] })
        .optional(),
      categorical: z.array(z.string()).min(1, 'needs at least one value').optional(),
    })
    .refine((d) => Object.values(d).filter((v) => v !== undefined).length === 1, {
      message: 'give exactly one of values, int, pow2, categorical',
    }),
]);

const workloadRef = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1).describe('a zoo name (dse workloads lists them) or a file: YAML/JSON layer list, SCALE-Sim CSV or ONNX model'),
    params: z.record(z.string(), paramValue).default({}),
    weight: z.number().positive().max(1e6, 'at most 1e6').default(1),
    label: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
      .optional()
      .describe("the workload's name in per-workload metrics (latencyS@<label>); default: the workload's own name"),
  }),
]);

/** A metric to minimise (`latencyS`, `latencyS@bert_base`) or one to maximise (`{maximize: tokensPerS}`). */
const objective = z.union([z.string().min(1), z.strictObject({ maximize: z.string().min(1) })]);

const bound = z
  .strictObject({ max: z.number().optional(), min: z.number().optional() })
  .refine((b) => b.max !== undefined || b.min !== undefined, { message: 'give max, min or both' });

export const studySchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  workloads: z.array(workloadRef).min(1, 'needs at least one workload'),
  /** How metrics of several workloads combine: `sum` (weights ignored) or `weighted` (sum of weight x metric). */
  aggregate: z.enum(['sum', 'weighted']).default('sum'),
  space: z.record(z.string(), domainSchema).refine((s) => Object.keys(s).length > 0, { message: 'needs at least one parameter' }),
  fixed: z.record(z.string(), paramValue).default({}),
  /** Metrics (OBJECTIVE_NAMES, optionally `@<workload label>`) minimised, or maximised with `{maximize: name}`. */
  objectives: z.array(objective).min(1, 'needs at least one objective'),
  /** Keys: a metric (OBJECTIVE_NAMES or latencyCycles, optionally `@<workload label>`) or a product of parameters (peRows*peCols). */
  constraints: z.record(z.string(), bound).default({}),
  search: z
    .strictObject({
      algorithm: z.string().default('random'),
      budget: z.number().int().positive().default(1000),
      seed: z.number().int().nonnegative().default(1),
      batchSize: z.number().int().positive().max(100000).default(64),
      options: z.record(z.string(), z.unknown()).default({}),
    })
    .prefault({}),
  /**
   * Per-layer bitwidths chosen for each design (a multiple-choice knapsack solved exactly):
   * each layer takes one of `choices`, minimising `objective`, with the workload's total
   * quantization-error proxy at most `maxQuantErrorRatio` times that of running every layer at
   * the design's own weightBits/activationBits.
   */
  mixedPrecision: z
    .strictObject({
      choices: z
        .array(z.strictObject({ weightBits: z.number().int().min(2).max(32), activationBits: z.number().int().min(2).max(32) }))
        .min(1, 'needs at least one choice'),
      objective: z.enum(['energy', 'latency']).default('energy'),
      /** Below about 1e-18 no bitwidth reaches it (32-bit choices against a 2-bit design give 2^-60). */
      maxQuantErrorRatio: z.number().min(1e-18, 'at least 1e-18').max(1e18, 'at most 1e18').default(1),
    })
    .optional(),
  architecture: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .optional()
    .describe(
      "an architecture instead of the flat systolic parameters: a file (accel-dse's levels form, a Timeloop v0.3 architecture, or a preset file such as configs/hardware/gemmini-like.arch.yaml; relative to the study) or its `architecture:` mapping inline. space/fixed then vary its parameters: levels.<Level>.<instances|capacityWords|capacityKiB|wordBits|blockWords|bandwidthWordsPerCycle>, compute.instances, compute.macBits, vector.lanes, preset parameters (gemmini-like: peDim, scratchpadKiB, accumulatorKiB; systolic: the flat fields peRows, peCols, dataflow, glbKiB, ...) and clockMHz",
    ),
  mapper: z
    .strictObject({
      objective: z.enum(['latency', 'energy', 'edp']).default('edp').describe("what the mapper minimises per layer (default edp)"),
    })
    .optional()
    .describe('settings of the per-layer mapper of an architecture study'),
  schedule: z
    .strictObject({
      solver: z.enum(['highs', 'jslp']).default('highs'),
      timeLimitS: z.number().positive().max(3600, 'at most 3600 s per solve').default(2),
    })
    .prefault({}),
});

export type StudyInput = z.input<typeof studySchema>;
export type StudyParsed = z.infer<typeof studySchema>;
export type Domain = z.infer<typeof domainSchema>;

/** A workload of a normalised study: always the object form. */
export interface WorkloadRef {
  name: string;
  params: Record<string, number | string>;
  weight: number;
  label?: string;
}

/** A normalised study: defaults filled in, workloads in object form (what journal headers store). */
export type StudySpec = Omit<StudyParsed, 'workloads'> & { workloads: WorkloadRef[] };
