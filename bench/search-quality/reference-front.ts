import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Design } from '../../core/types.ts';
import { compareNumbers } from '../../results/dominance.ts';
import { REFERENCE_POINT_NORMALIZED, type Normalization } from '../../results/normalize.ts';
import type { TrueFront } from './quality.ts';

/**
 * The committed true front of a reference space (configs/bench/large.front.json): what the
 * exhaustive evaluation found, with the normalisation and reference point every hypervolume
 * ratio of the benchmark uses, and how to make it again. The benchmark always measures against
 * the front it recomputes from the current cost model, and reports whether that still equals
 * the committed one (a difference means the cost model changed since it was written).
 */
export interface ReferenceFrontFile {
  description: string;
  command: string;
  studyFile: string;
  studyHash: string;
  /** Hash of the cost-model and evaluation source that produced it (bench/search-quality/truth-table.ts). */
  evaluationSourceHash: string;
  toolVersion: string;
  createdAt: string;
  spaceSize: number;
  counts: Record<string, number>;
  objectives: string[];
  normalization: Normalization;
  referencePointNormalized: number;
  hypervolumeNormalized: number;
  /** The front's points, sorted by objectives. */
  front: { design: Design; objectives: number[] }[];
}

export interface ReferenceInputs {
  studyFile: string;
  studyHash: string;
  evaluationSourceHash: string;
  toolVersion: string;
  spaceSize: number;
  counts: Record<string, number>;
  objectives: string[];
  designAt: (index: number) => Design;
}

export function referenceFrontOf(truth: TrueFront, inputs: ReferenceInputs, command: string): ReferenceFrontFile {
  const order = truth.points.map((_, i) => i).sort((a, b) => lexCompare(truth.points[a]!, truth.points[b]!));
  return {
    description: 'True Pareto front of the study (every design evaluated once), its normalisation (ideal and nadir of this front) and its normalised hypervolume with the reference point 1.1 in every objective.',
    command,
    studyFile: inputs.studyFile,
    studyHash: inputs.studyHash,
    evaluationSourceHash: inputs.evaluationSourceHash,
    toolVersion: inputs.toolVersion,
    createdAt: new Date().toISOString(),
    spaceSize: inputs.spaceSize,
    counts: inputs.counts,
    objectives: inputs.objectives,
    normalization: truth.normalization,
    referencePointNormalized: REFERENCE_POINT_NORMALIZED,
    hypervolumeNormalized: truth.hypervolume,
    front: order.map((i) => ({ design: inputs.designAt(truth.indexes[i]!), objectives: truth.points[i]! })),
  };
}

export function writeReferenceFront(file: string, ref: ReferenceFrontFile): void {
  // One front point per line: diffs of a regenerated front stay readable.
  const { front, ...rest } = ref;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  const rows = front.map((p) => '    ' + JSON.stringify(p)).join(',\n');
  writeFileSync(file, `${head},\n  "front": [\n${rows}\n  ]\n}\n`);
}

/** How the recomputed true front compares with the committed one: one line for the report. */
export function compareWithReference(file: string, truth: TrueFront, objectives: readonly string[]): { matches: boolean; note: string } {
  if (!existsSync(file)) return { matches: false, note: `no committed front at ${file}` };
  const ref = JSON.parse(readFileSync(file, 'utf8')) as ReferenceFrontFile;
  if (ref.objectives.join(',') !== objectives.join(',')) {
    return { matches: false, note: `committed front has objectives ${ref.objectives.join(', ')}, the study ${objectives.join(', ')}` };
  }
  const a = ref.front.map((p) => p.objectives).sort(lexCompare);
  const b = [...truth.points].sort(lexCompare);
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  const same = a.length === b.length && a.every((p, i) => p.every((v, j) => close(v, b[i]![j]!)));
  if (same) return { matches: true, note: `recomputed true front equals the committed one (${a.length} points, written ${ref.createdAt})` };
  return {
    matches: false,
    note: `recomputed true front (${b.length} points, normalised HV ${truth.hypervolume.toFixed(6)}) differs from the committed one (${a.length} points, HV ${ref.hypervolumeNormalized.toFixed(6)}, written ${ref.createdAt}): the cost model changed; rewrite it with --write-front`,
  };
}

function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareNumbers(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}
