import type { Schedule, ScheduleProblem } from './replay.ts';

/**
 * Layer-by-layer execution: the workload's own op order, every activation written to DRAM
 * and read back by each consumer, nothing kept on chip between ops. The baseline every other
 * policy is measured against.
 */
export function scheduleNone(problem: ScheduleProblem): Schedule {
  return { order: problem.ops.map((o) => o.name), plan: { onChipReads: {}, onChipWrites: [] } };
}
