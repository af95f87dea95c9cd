import { opMacs, opWeightElements } from '../op-size.ts';
import type { OpKind, Workload } from '../types.ts';

export interface WorkloadSummary {
  name: string;
  params: Record<string, number | string>;
  macs: number;
  weightElements: number;
  ops: number;
  opCounts: Partial<Record<OpKind, number>>;
  /** Elements of the network inputs (read once from DRAM). */
  inputElements: number;
}

/** Totals of a workload, for listings and quick checks. */
export function summarizeWorkload(w: Workload): WorkloadSummary {
  const opCounts: Partial<Record<OpKind, number>> = {};
  let macs = 0;
  let weightElements = 0;
  for (const op of w.ops) {
    macs += opMacs(op);
    weightElements += opWeightElements(op);
    opCounts[op.kind] = (opCounts[op.kind] ?? 0) + 1;
  }
  const inputElements = Object.values(w.tensors).reduce((s, t) => s + (t.kind === 'input' ? t.elements : 0), 0);
  return { name: w.name, params: { ...w.params }, macs, weightElements, ops: w.ops.length, opCounts, inputElements };
}

/** 1.814 G, 300.8 M, 19.83 M, 4.2 k: three significant digits, SI prefix. */
export function formatCount(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, unit] of units) if (n >= scale) return `${(n / scale).toPrecision(4)} ${unit}`;
  return String(n);
}
