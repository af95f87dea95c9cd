import { z } from 'zod';
import { LEVEL_ATTRIBUTES } from './study-architecture.ts';
import { OBJECTIVE_NAMES } from '../core/types.ts';
import { DEFAULT_HARDWARE, hardwareSchema } from '../models/hardware.ts';
import { TECH_NODES } from '../models/tech/nodes.ts';
import type { Hardware } from '../models/types.ts';
import { studySchema } from './study-schema.ts';

/**
 * The study format as JSON Schema (draft 2020-12), generated from the one zod schema, with a
 * description on every field (for editors' hover text) and the hardware parameter names listed
 * under `space` and `fixed` (for completion). Validation stays the zod schema's.
 */
export function studyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(studySchema, { io: 'input', unrepresentable: 'any' }) as Json;
  describeAll(schema, '');
  listParameters(schema);
  return { ...schema, $id: 'https://accel-dse.dev/schema/study.json', title: 'accel-dse study', description: 'A design-space exploration study: workloads, the hardware space searched, objectives, constraints and the search.' };
}

type Json = Record<string, unknown>;

/** What each hardware parameter is (README "Hardware files", docs/COST_MODEL.md). */
export const HARDWARE_PARAMETER_DOCS: Record<keyof Hardware, string> = {
  peRows: 'rows of the systolic PE array (1..4096; default 32)',
  peCols: 'columns of the systolic PE array (1..4096; default 32)',
  dataflow: 'os (output-), ws (weight-) or is (input-stationary) dataflow (default ws)',
  ifmapSramKiB: 'input-feature-map SRAM, KiB (split SRAMs; default 64)',
  filterSramKiB: 'filter (weight) SRAM, KiB (split SRAMs; default 64)',
  ofmapSramKiB: 'output-feature-map SRAM, KiB (split SRAMs; default 64)',
  glbKiB: 'one shared global buffer, KiB, instead of the three split SRAMs (default null: split)',
  rfBytes: 'register file per PE, bytes (default 64)',
  dramGBps: 'off-chip DRAM bandwidth, GB/s (default 25.6)',
  clockMHz: 'clock, MHz (default 1000)',
  weightBits: 'weight width, bits (2..32; default 8)',
  activationBits: 'activation width, bits (2..32; default 8)',
  accumBits: 'partial-sum width, bits (8..64; default 32)',
  kvBits: 'width of the KV cache of transformer decoders, bits (default: activationBits)',
  techNode: `technology node: ${TECH_NODES.join(', ')} (default 45nm)`,
  fusion: 'how each workload is scheduled: none (layer by layer), greedy or ilp cross-layer fusion (default none)',
};

const ENUMS: Partial<Record<keyof Hardware, readonly string[]>> = {
  dataflow: ['os', 'ws', 'is'],
  fusion: ['none', 'greedy', 'ilp'],
  techNode: TECH_NODES,
};

/** Descriptions by field path (`*` = any key of a map, `[]` = a list item). */
const FIELD_DOCS: Record<string, string> = {
  name: 'name of the study (labels runs and reports)',
  description: 'free text shown in summaries and reports',
  workloads: 'the networks every design is evaluated on: zoo names (dse workloads lists them) or files',
  'workloads[]': 'a zoo name or a workload file: YAML/JSON layer list, SCALE-Sim topology CSV or ONNX model',
  'workloads[].params': 'zoo parameters, e.g. {resolution: 160} or {seqLen: 256}',
  'workloads[].label': "the workload's name in metric@label objectives and constraints (default: its name)",
  'workloads[].weight': "the workload's weight when aggregate is weighted (default 1)",
  aggregate: "how metrics of several workloads combine: sum (weights ignored) or weighted (sum of weight x metric)",
  space: 'the hardware parameters searched, each with its domain',
  'space.*': 'a domain: a list of values, {values: [...]}, {int: {min, max, step}}, {pow2: {min, max}} or {categorical: [...]}',
  'space.*.values': 'the values, in this order',
  'space.*.int': 'integers from min to max in steps of step',
  'space.*.int.min': 'smallest value',
  'space.*.int.max': 'largest value',
  'space.*.int.step': 'step between values (default 1)',
  'space.*.pow2': 'the powers of two between min and max',
  'space.*.pow2.min': 'lower bound',
  'space.*.pow2.max': 'upper bound',
  'space.*.categorical': 'unordered choices',
  fixed: 'hardware parameters held fixed for every design (the others not searched take their defaults)',
  objectives: `metrics to optimise: a metric name (minimised; e.g. ${OBJECTIVE_NAMES.slice(0, 6).join(', ')}), {maximize: metric}, or metric@label for one workload's`,
  'objectives[].maximize': 'the metric to maximise (e.g. tokensPerS or tokensPerS@llama)',
  'objectives[]': 'a metric to minimise, {maximize: metric} to maximise one, or metric@label for one workload',
  constraints: 'bounds on a metric (e.g. areaMM2, latencyS, energyPJ, dramBytes, tokensPerS, or metric@label for one workload; checked after evaluation) or on a product of parameters such as peRows*peCols (such designs are never evaluated)',
  'constraints.*': 'a bound: max, min or both',
  'constraints.*.max': 'largest value allowed',
  'constraints.*.min': 'smallest value allowed',
  search: 'how the space is searched (how hard one looks; runs of one problem compare whatever these are)',
  'search.algorithm': 'the searcher: random, grid, nsga2, marl or surrogate (docs/SEARCH.md)',
  'search.budget': 'designs to evaluate at most',
  'search.seed': 'seed of every random choice: the same study and seed give the same trials',
  'search.batchSize': 'designs asked of the searcher at a time (results do not depend on the number of workers)',
  'search.options': "the searcher's own settings (docs/SEARCH.md)",
  mixedPrecision: "per-layer bitwidths chosen for each design: each layer takes one of choices, minimising objective, with the workload's quantization-error proxy at most maxQuantErrorRatio times that of the design's uniform bitwidths",
  'mixedPrecision.choices': 'the bitwidth pairs a layer may take',
  'mixedPrecision.choices[]': 'one choice of weight and activation bits',
  'mixedPrecision.choices[].weightBits': 'weight width, bits (2..32)',
  'mixedPrecision.choices[].activationBits': 'activation width, bits (2..32)',
  'mixedPrecision.objective': 'what the choice minimises: energy (default) or latency',
  'mixedPrecision.maxQuantErrorRatio': "quantization-error budget relative to running every layer at the design's weightBits/activationBits (default 1)",
  schedule: 'how fusion schedules (fusion: greedy or ilp) are solved',
  'schedule.solver': 'ILP backend: highs (default) or jslp',
  'schedule.timeLimitS': 'time limit of one schedule solve, seconds (default 2)',
};

/** Sets the description of every node that has a FIELD_DOCS entry and none of its own. */
function describeAll(node: Json, path: string): void {
  const doc = FIELD_DOCS[path];
  if (doc !== undefined && typeof node.description !== 'string') node.description = doc;
  const props = node.properties as Record<string, Json> | undefined;
  if (props) for (const [k, v] of Object.entries(props)) describeAll(v, path ? `${path}.${k}` : k);
  const extra = node.additionalProperties;
  if (extra && typeof extra === 'object') describeAll(extra as Json, `${path}.*`);
  if (node.items && typeof node.items === 'object') describeAll(node.items as Json, `${path}[]`);
  for (const alt of [...((node.anyOf as Json[] | undefined) ?? []), ...((node.oneOf as Json[] | undefined) ?? [])]) describeAll(alt, path);
}

const ARCHITECTURE_PARAMETER_PATTERN = `^(levels\\.[^.]+\\.(${LEVEL_ATTRIBUTES.join('|')})|compute\\.(instances|macBits)|peDim|scratchpadKiB|accumulatorKiB)$`;

/** `space` and `fixed` list the hardware parameters by name, each described, so editors complete them. */
function listParameters(schema: Json): void {
  const props = schema.properties as Record<string, Json>;
  const names = Object.keys(DEFAULT_HARDWARE) as (keyof Hardware)[];
  const domain = props.space!.additionalProperties as Json;
  // An architecture study names its own parameters (level names come from its file, which the
  // schema cannot see): any levels.<name>.<attribute>, compute.<attribute> or preset parameter.
  const propertyNames = { anyOf: [{ enum: names }, { pattern: ARCHITECTURE_PARAMETER_PATTERN }] };
  props.space!.propertyNames = propertyNames;
  props.space!.properties = Object.fromEntries(names.map((n) => [n, { ...domain, description: `${HARDWARE_PARAMETER_DOCS[n]}; searched over this domain` }]));
  // Each fixed value with the range the hardware schema enforces (dramGBps >= 0.001, ...).
  const ranges = (z.toJSONSchema(hardwareSchema, { io: 'input', unrepresentable: 'any' }) as Json).properties as Record<string, Json>;
  props.fixed!.propertyNames = propertyNames;
  props.fixed!.properties = Object.fromEntries(
    names.map((n) => {
      const values = ENUMS[n];
      const type = values ? { type: 'string', enum: [...values] } : (ranges[n] ?? { type: 'number' });
      return [n, { ...type, description: HARDWARE_PARAMETER_DOCS[n] }];
    }),
  );
}
