import { DseError } from '../core/errors.ts';
import { onChipCapacityBytes } from '../models/hardware.ts';
import type { Hardware, TrafficPlan, Workload } from '../models/types.ts';
import { scheduleWorkloadCached } from '../search/schedule/index.ts';

/** How the study asks schedules to be solved. */
export interface SchedulePlanner {
  solver: 'highs' | 'jslp';
  timeLimitS: number;
}

/**
 * The traffic plan a design's fusion policy gives a workload: `none` runs layer by layer
 * (no plan); `greedy` and `ilp` ask the scheduler, whose results are cached by workload,
 * capacity and bitwidths because many designs share them.
 */
export async function planFor(planner: SchedulePlanner, hw: Hardware, workload: Workload): Promise<TrafficPlan | undefined> {
  if (hw.fusion === 'none') return undefined;
  const result = await scheduleWorkloadCached(workload, {
    capacityBytes: onChipCapacityBytes(hw),
    activationBits: hw.activationBits,
    weightBits: hw.weightBits,
    policy: hw.fusion,
    solver: planner.solver,
    timeLimitS: planner.timeLimitS,
  });
  if (!result.feasible) {
    throw new DseError('schedule_infeasible', `no ${hw.fusion} schedule of ${workload.name} fits ${onChipCapacityBytes(hw)} bytes on chip${result.note ? `: ${result.note}` : ''}`);
  }
  return result.plan;
}
