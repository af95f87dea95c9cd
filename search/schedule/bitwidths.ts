import { DseError } from '../../core/errors.ts';
import { evaluateLayer } from '../../models/cost/evaluate.ts';
import type { Hardware, LayerMetrics, Op, TrafficPlan, Workload } from '../../models/types.ts';
import { Model, type Solver } from './model.ts';

/**
 * Mixed precision as a multiple-choice knapsack: every layer picks one (weightBits,
 * activationBits) pair from an allowed set, minimising total latency or energy subject to a
 * budget on the total quantization-error proxy. Per-layer costs and errors come from the cost
 * model (models/cost/evaluate.ts), which costs an op with its own bitwidth overrides; the
 * knapsack therefore treats layers as independent (what a consumer pays for reading a
 * producer's tensor is costed at the consumer's own activation width, as the cost model does).
 *
 *   y[l,c] binary: layer l uses choice c;  sum_c y[l,c] = 1
 *   sum_{l,c} err[l,c] y[l,c] <= budget;   minimise sum_{l,c} cost[l,c] y[l,c]
 *
 * Choices dominated within a layer (no cheaper and no more accurate) are dropped first; that
 * cannot change the optimum.
 */

export interface BitwidthChoice {
  weightBits: number;
  activationBits: number;
}

export type BitwidthObjective = 'latency' | 'energy';

/** One layer's options: cost (cycles or pJ) and error proxy per allowed choice. */
export interface KnapsackItem {
  cost: number;
  error: number;
}

export interface KnapsackResult {
  feasible: boolean;
  /** Chosen option index per layer (empty when infeasible). */
  picks: number[];
  cost: number;
  error: number;
  proven: boolean;
  gap: number | undefined;
  solveMs: number;
}

/** Solves the multiple-choice knapsack exactly (HiGHS proves it; javascript-lp-solver does not). */
export async function solveMultipleChoiceKnapsack(layers: KnapsackItem[][], budget: number, solver: Solver, timeLimitS = 10): Promise<KnapsackResult> {
  const started = performance.now();
  const infeasible = (proven: boolean): KnapsackResult => ({ feasible: false, picks: [], cost: NaN, error: NaN, proven, gap: undefined, solveMs: performance.now() - started });
  if (layers.some((l) => l.length === 0)) throw new DseError('bitwidths.choices', 'every layer needs at least one bitwidth choice', { path: 'choices' });
  const minError = layers.reduce((s, l) => s + Math.min(...l.map((i) => i.error)), 0);
  if (minError > budget) return infeasible(true);
  const kept = layers.map(paretoChoices);
  const model = new Model();
  // Errors span many orders of magnitude (noise power ~ 4^-bits); scale the budget row to 1.
  const scale = budget > 0 ? 1 / budget : 1;
  const y = kept.map((opts, l) => opts.map((c) => model.addVar(`y_${l}_${c}`, 'binary')));
  y.forEach((vars, l) => model.addConstraint(`one_${l}`, vars.map((v) => [v, 1]), '=', 1));
  model.addConstraint('budget', y.flatMap((vars, l) => vars.map((v, k) => [v, layers[l]![kept[l]![k]!]!.error * scale] as [number, number])), '<=', budget * scale);
  model.minimize(y.flatMap((vars, l) => vars.map((v, k) => [v, layers[l]![kept[l]![k]!]!.cost] as [number, number])));
  const res = await solver(model, { timeLimitS });
  if (res.values.length === 0) return infeasible(res.status === 'infeasible' && res.proven);
  const picks = y.map((vars, l) => kept[l]![vars.findIndex((v) => res.values[v]! > 0.5)]!);
  const cost = picks.reduce((s, c, l) => s + layers[l]![c]!.cost, 0);
  const error = picks.reduce((s, c, l) => s + layers[l]![c]!.error, 0);
  return { feasible: true, picks, cost, error, proven: res.proven, gap: res.gap, solveMs: performance.now() - started };
}

/** Indices of the choices not dominated by another (lower-or-equal cost and error, one strictly). */
function paretoChoices(items: KnapsackItem[]): number[] {
  const idx = items.map((_, i) => i);
  return idx.filter((i) => !idx.some((j) => j !== i && items[j]!.cost <= items[i]!.cost && items[j]!.error <= items[i]!.error
    && (items[j]!.cost < items[i]!.cost || items[j]!.error < items[i]!.error || j < i)));
}

export interface BitwidthOptions {
  choices: BitwidthChoice[];
  objective: BitwidthObjective;
  /** Budget on the workload's total quantization-error proxy (sum over layers). */
  maxQuantError: number;
  solver: Solver;
  timeLimitS?: number;
  /** Traffic plan the layers are costed under (from scheduleWorkload), if any. */
  plan?: TrafficPlan;
}

export interface BitwidthAssignment {
  feasible: boolean;
  proven: boolean;
  gap: number | undefined;
  /** Per op name. */
  bits: Record<string, BitwidthChoice>;
  /** The workload with the chosen bitwidths as per-op overrides. */
  workload: Workload;
  /** Total latency (cycles) or energy (pJ), whichever was minimised, over the layers. */
  objectiveValue: number;
  quantError: number;
  solveMs: number;
}

/** Per-layer cost and error of every allowed choice, from the cost model. */
export function layerCostTable(hw: Hardware, workload: Workload, choices: BitwidthChoice[], objective: BitwidthObjective, plan?: TrafficPlan): KnapsackItem[][] {
  return workload.ops.map((op) => choices.map((c) => {
    const m: LayerMetrics = evaluateLayer(hw, withBits(op, c), workload, plan);
    return { cost: objective === 'latency' ? m.latencyCycles : m.energyPJ, error: m.quantError };
  }));
}

export async function chooseBitwidths(hw: Hardware, workload: Workload, opts: BitwidthOptions): Promise<BitwidthAssignment> {
  if (opts.choices.length === 0) throw new DseError('bitwidths.choices', 'no bitwidth choices given', { path: 'choices' });
  const table = layerCostTable(hw, workload, opts.choices, opts.objective, opts.plan);
  const r = await solveMultipleChoiceKnapsack(table, opts.maxQuantError, opts.solver, opts.timeLimitS);
  const bits: Record<string, BitwidthChoice> = {};
  if (r.feasible) workload.ops.forEach((op, l) => { bits[op.name] = opts.choices[r.picks[l]!]!; });
  const assigned: Workload = r.feasible ? { ...workload, ops: workload.ops.map((op) => withBits(op, bits[op.name]!)) } : workload;
  return { feasible: r.feasible, proven: r.proven, gap: r.gap, bits, workload: assigned, objectiveValue: r.cost, quantError: r.error, solveMs: r.solveMs };
}

function withBits(op: Op, c: BitwidthChoice): Op {
  return { ...op, weightBits: c.weightBits, activationBits: c.activationBits };
}
