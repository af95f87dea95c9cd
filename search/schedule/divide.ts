import { solveRangeIlp, type PieceBoundary, type PieceDecision, type RangeOutcome } from './ilp-formulation.ts';
import type { Solver } from './model.ts';
import type { ScheduleProblem } from './replay.ts';

/**
 * Divide-and-conquer for ranges too large to prove in the time limit (COSMA's fallback for very
 * large graphs). The range is split, in the workload's op order, into windows of at most
 * `maxWindowOps` ops; each split is placed where the fewest bytes cross it. Tensors crossing a
 * split go through DRAM (written by their producer's window, read by each later window), and
 * each window is solved by the ILP on its own. Every window may be optimal, but the whole is
 * not proven: the splits forbid keeping a tensor on chip across them and moving an op across
 * them. A window the solver cannot solve in time runs layer by layer.
 */
export async function divideAndSolve(
  problem: ScheduleProblem, start: number, end: number, boundary: PieceBoundary,
  solver: Solver, deadlineMs: number, maxWindowOps: number, lowerBoundShortcut = true,
): Promise<{ outcome: RangeOutcome; windows: number; layerByLayerWindows: number }> {
  const windows = splitRange(problem, start, end, maxWindowOps);
  const order: number[] = [];
  const onChipReads: [number, string][] = [];
  const onChipWrites: string[] = [];
  let objective = 0;
  let solveMs = 0;
  let layerByLayer = 0;
  for (let w = 0; w < windows.length; w++) {
    const [s, e] = windows[w]!;
    const b: PieceBoundary = { handoffIn: w === 0 && boundary.handoffIn, handoffOut: w === windows.length - 1 && boundary.handoffOut };
    const remainingS = Math.max(0.05, (deadlineMs - performance.now()) / 1000 / (windows.length - w));
    const r = await solveRangeIlp(problem, s, e, b, solver, remainingS, lowerBoundShortcut);
    if (r) {
      order.push(...r.decision.order);
      onChipReads.push(...r.decision.onChipReads);
      onChipWrites.push(...r.decision.onChipWrites);
      objective += r.objective;
      solveMs += r.solveMs;
    } else {
      // Layer by layer: given order, nothing kept. Its traffic is recomputed by the replay.
      layerByLayer++;
      objective = NaN;
      for (let i = s; i <= e; i++) order.push(i);
    }
  }
  const decision: PieceDecision = { order, onChipReads, onChipWrites };
  return { outcome: { decision, objective, bound: undefined, proven: false, solveMs, usedSolver: true }, windows: windows.length, layerByLayerWindows: layerByLayer };
}

/** Window boundaries: each window at most `maxOps` ops, each split where the fewest bytes cross. */
export function splitRange(problem: ScheduleProblem, start: number, end: number, maxOps: number): [number, number][] {
  const crossing = crossingBytes(problem);
  const out: [number, number][] = [];
  let s = start;
  while (end - s + 1 > maxOps) {
    // Split after position i, for i in the second half of the window.
    let best = s + maxOps - 1;
    for (let i = s + Math.floor(maxOps / 2); i <= s + maxOps - 1; i++) if (crossing[i]! < crossing[best]!) best = i;
    out.push([s, best]);
    s = best + 1;
  }
  out.push([s, end]);
  return out;
}

/** Bytes of tensors used at or before op i and consumed after it, for each i (workload order). */
function crossingBytes(problem: ScheduleProblem): number[] {
  const n = problem.ops.length;
  const diff = new Array<number>(n + 1).fill(0);
  for (const t of problem.tensors.values()) {
    if (t.consumers.length === 0) continue;
    const first = t.producer >= 0 ? t.producer : Math.min(...t.consumers);
    const last = Math.max(...t.consumers);
    if (first < last) { diff[first]! += t.bytes; diff[last]! -= t.bytes; }
  }
  const out: number[] = [];
  let run = 0;
  for (let i = 0; i < n; i++) { run += diff[i]!; out.push(run); }
  return out;
}
