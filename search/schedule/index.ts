import { DseError } from '../../core/errors.ts';
import type { TrafficPlan, Workload } from '../../models/types.ts';
import { divideAndSolve } from './divide.ts';
import { scheduleGreedy } from './greedy.ts';
import { exactPieces, solveRangeIlp, type PieceBoundary, type RangeOutcome } from './ilp-formulation.ts';
import type { Solver } from './model.ts';
import { scheduleNone } from './none.ts';
import {
  buildProblem, replaySchedule,
  type OversizedOps, type ReplayOk, type ResidencyDecision, type Schedule, type ScheduleProblem, type SpillDecision,
} from './replay.ts';

/**
 * Scheduling a workload onto a design's on-chip memory: fusion groups, execution order and
 * residency, minimising DRAM bytes (docs/SCHEDULING.md). `ilp` solves the order/residency ILP
 * to proven optimality piece by piece (exact cuts), `greedy` and `none` are the heuristics it
 * is compared with. Every schedule is replayed by an independent simulator before it is used.
 */

export type SchedulePolicy = 'none' | 'greedy' | 'ilp';
export type SolverName = 'highs' | 'jslp';

export interface ScheduleOptions {
  capacityBytes: number;
  activationBits: number;
  policy: SchedulePolicy;
  solver?: SolverName;
  /** Wall-clock budget for the whole workload's ILP, seconds (default 10). */
  timeLimitS?: number;
  /** Default weight bitwidth (only affects the compulsory weight bytes); defaults to activationBits. */
  weightBits?: number;
  /** What to do with an op whose inputs + output exceed the capacity (default 'stream'). */
  oversizedOps?: OversizedOps;
  /** Largest piece solved as one ILP; larger pieces are divided (default 40 ops). */
  maxPieceOps?: number;
  /**
   * For testing and cross-checks (default true). false skips both exact shortcuts, the cut
   * decomposition and the lower-bound shortcut, and sends the whole workload to the ILP as one
   * piece (still divided when it exceeds maxPieceOps or finds no solution in time). The optimum
   * is the same either way; only the route to it and the solve time change.
   */
  exactShortcuts?: boolean;
}

export interface ScheduleResult {
  policy: SchedulePolicy;
  /** Solver used by the ILP, or 'none' for the heuristics and for a fallback. */
  solver: SolverName | 'none';
  groups: string[][];
  order: string[];
  residency: ResidencyDecision[];
  spills: SpillDecision[];
  /** Ops run tiled from DRAM because their own footprint exceeds the capacity. */
  streamedOps: string[];
  plan: TrafficPlan;
  dramBytes: number;
  compulsoryDramBytes: number;
  nonCompulsoryDramBytes: number;
  peakOnChipBytes: number;
  capacityBytes: number;
  feasible: boolean;
  /** True when the whole schedule is proven optimal (ILP, every piece proven). */
  proven: boolean;
  /** Relative gap of the ILP's non-compulsory traffic to its proven bound (0 when proven); null when unknown. */
  gap: number | null;
  solveMs: number;
  /** Pieces the exact decomposition found, and how many were divided further. */
  pieces: number;
  dividedPieces: number;
  /** ILP solves run (pieces the lower-bound shortcut settles need none). */
  solverCalls: number;
  note?: string;
}

export function getSolver(name: SolverName): Promise<Solver> {
  return name === 'highs'
    ? import('./solve-highs.ts').then((m) => m.solveHighs)
    : import('./solve-jslp.ts').then((m) => m.solveJslp);
}

export async function scheduleWorkload(workload: Workload, opts: ScheduleOptions): Promise<ScheduleResult> {
  if (!['none', 'greedy', 'ilp'].includes(opts.policy)) throw new DseError('schedule.policy', `unknown policy '${opts.policy}' (none, greedy or ilp)`, { path: 'policy' });
  const solverName = opts.solver ?? 'highs';
  if (!['highs', 'jslp'].includes(solverName)) throw new DseError('schedule.solver', `unknown solver '${solverName}' (highs or jslp)`, { path: 'solver' });
  const started = performance.now();
  const problem = buildProblem(workload, opts);
  const notes: string[] = [];
  if (!problem.feasible) {
    const worst = problem.ops.filter((o) => o.footprintBytes > problem.capacityBytes).map((o) => `${o.name} (${o.footprintBytes} B)`);
    return emptyResult(problem, opts.policy, `infeasible: ${worst.length} op(s) need more than ${problem.capacityBytes} B on chip: ${worst.slice(0, 3).join(', ')}${worst.length > 3 ? ', ...' : ''}`, performance.now() - started);
  }
  if (opts.policy === 'none') return finish(problem, 'none', 'none', scheduleNone(problem), { proven: false, gap: null, pieces: 0, divided: 0 }, notes, started);
  const greedy = scheduleGreedy(problem);
  if (opts.policy === 'greedy') return finish(problem, 'greedy', 'none', greedy, { proven: false, gap: null, pieces: 0, divided: 0 }, notes, started);

  const solver = await getSolver(solverName);
  const timeLimitS = opts.timeLimitS ?? 10;
  const deadline = performance.now() + timeLimitS * 1000;
  const maxPieceOps = opts.maxPieceOps ?? 40;
  const shortcuts = opts.exactShortcuts ?? true;
  const pieces: [number, number][] = shortcuts ? exactPieces(problem) : problem.ops.length > 0 ? [[0, problem.ops.length - 1]] : [];
  const outcomes: RangeOutcome[] = [];
  let divided = 0;
  for (let k = 0; k < pieces.length; k++) {
    const [s, e] = pieces[k]!;
    const boundary: PieceBoundary = { handoffIn: k > 0, handoffOut: k < pieces.length - 1 };
    const remainingS = Math.max(0.05, (deadline - performance.now()) / 1000);
    let out = e - s + 1 <= maxPieceOps ? await solveRangeIlp(problem, s, e, boundary, solver, remainingS, shortcuts) : undefined;
    if (!out) {
      divided++;
      const d = await divideAndSolve(problem, s, e, boundary, solver, deadline, Math.max(4, Math.floor(maxPieceOps / 2)), shortcuts);
      if (d.layerByLayerWindows > 0) notes.push(`${d.layerByLayerWindows} window(s) of ops ${problem.ops[s]!.name}..${problem.ops[e]!.name} ran layer by layer (no ILP solution in time)`);
      out = d.outcome;
    }
    outcomes.push(out);
  }
  if (divided > 0) notes.push(`${divided} piece(s) too large or too slow to prove were divided at forced splits (not proven optimal)`);
  const schedule = assemble(problem, outcomes);
  const proven = outcomes.every((o) => o.proven);
  const objective = outcomes.reduce((s, o) => s + o.objective, 0);
  const bound = outcomes.every((o) => o.bound !== undefined) ? outcomes.reduce((s, o) => s + o.bound!, 0) : undefined;
  const compulsoryActivation = problem.compulsoryDramBytes - problem.weightBytes;
  let gap: number | null = null;
  if (proven) gap = 0;
  else if (bound !== undefined && Number.isFinite(objective)) {
    const nc = objective - compulsoryActivation;
    gap = nc <= 0 ? 0 : Math.max(0, objective - bound) / nc;
  }
  const solverCalls = outcomes.filter((o) => o.usedSolver).length;
  if (solverName === 'jslp' && solverCalls > 0) notes.push('javascript-lp-solver does not prove optimality');

  const replay = replaySchedule(problem, schedule);
  if (!replay.ok) {
    notes.push(`the ILP schedule failed the replay check (${replay.reason}); using the greedy schedule instead`);
    return finish(problem, 'ilp', 'none', greedy, { proven: false, gap: null, pieces: pieces.length, divided }, notes, started);
  }
  if (proven && Number.isFinite(objective) && Math.abs(replay.dramBytes - problem.weightBytes - objective) > 0.5) {
    notes.push(`replayed traffic ${replay.dramBytes - problem.weightBytes} B differs from the ILP objective ${objective} B`);
  }
  const greedyReplay = replaySchedule(problem, greedy);
  if (greedyReplay.ok && greedyReplay.dramBytes < replay.dramBytes) {
    notes.push(`greedy found less traffic than the unproven ILP solution (${greedyReplay.nonCompulsoryDramBytes} vs ${replay.nonCompulsoryDramBytes} B); using greedy`);
    return finish(problem, 'ilp', 'none', greedy, { proven: false, gap, pieces: pieces.length, divided, calls: solverCalls }, notes, started, greedyReplay);
  }
  return finish(problem, 'ilp', solverName, schedule, { proven, gap, pieces: pieces.length, divided, calls: solverCalls }, notes, started, replay);
}

function assemble(problem: ScheduleProblem, outcomes: RangeOutcome[]): Schedule {
  const order: string[] = [];
  const onChipReads: Record<string, string[]> = {};
  const onChipWrites: string[] = [];
  for (const o of outcomes) {
    for (const i of o.decision.order) order.push(problem.ops[i]!.name);
    for (const [i, t] of o.decision.onChipReads) (onChipReads[problem.ops[i]!.name] ??= []).push(t);
    onChipWrites.push(...o.decision.onChipWrites);
  }
  return { order, plan: { onChipReads, onChipWrites } };
}

function finish(
  problem: ScheduleProblem, policy: SchedulePolicy, solver: SolverName | 'none', schedule: Schedule,
  meta: { proven: boolean; gap: number | null; pieces: number; divided: number; calls?: number },
  notes: string[], started: number, replayed?: ReplayOk,
): ScheduleResult {
  const r = replayed ?? replaySchedule(problem, schedule);
  if (!r.ok) throw new Error(`schedule: the ${policy} schedule failed the replay check: ${r.reason}`);
  return {
    policy,
    solver,
    groups: r.groups,
    order: schedule.order,
    residency: r.residency,
    spills: r.spills,
    streamedOps: problem.ops.filter((o) => o.streamed).map((o) => o.name),
    plan: schedule.plan,
    dramBytes: r.dramBytes,
    compulsoryDramBytes: problem.compulsoryDramBytes,
    nonCompulsoryDramBytes: r.nonCompulsoryDramBytes,
    peakOnChipBytes: r.peakOnChipBytes,
    capacityBytes: problem.capacityBytes,
    feasible: true,
    proven: meta.proven,
    gap: meta.gap,
    solveMs: performance.now() - started,
    pieces: meta.pieces,
    dividedPieces: meta.divided,
    solverCalls: meta.calls ?? 0,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

function emptyResult(problem: ScheduleProblem, policy: SchedulePolicy, note: string, solveMs: number): ScheduleResult {
  return {
    policy, solver: 'none', groups: [], order: problem.ops.map((o) => o.name), residency: [], spills: [], streamedOps: [],
    plan: { onChipReads: {}, onChipWrites: [] },
    dramBytes: NaN, compulsoryDramBytes: problem.compulsoryDramBytes, nonCompulsoryDramBytes: NaN, peakOnChipBytes: NaN,
    capacityBytes: problem.capacityBytes, feasible: false, proven: false, gap: null, solveMs, pieces: 0, dividedPieces: 0, solverCalls: 0, note,
  };
}

export { scheduleWorkloadCached, clearScheduleCache, scheduleCacheStats } from './cache.ts';
export { buildProblem, replaySchedule } from './replay.ts';
export type { Schedule, ScheduleProblem, ResidencyDecision, SpillDecision } from './replay.ts';
