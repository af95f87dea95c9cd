import type { Hardware, TrafficPlan, Workload } from '../models/types.ts';

/** How the study asks schedules to be solved. */
export interface SchedulePlanner {
  solver: 'highs' | 'jslp';
  timeLimitS: number;
}

/**
 * The traffic plan a design's fusion policy gives a workload: `none` runs layer by layer
 * (no plan); `greedy` and `ilp` ask the scheduler (cached by workload, capacity and bits).
 */
export async function planFor(planner: SchedulePlanner, hw: Hardware, workload: Workload): Promise<TrafficPlan | undefined> {
  if (hw.fusion === 'none') return undefined;
  void planner;
  void workload;
  throw new Error(`fusion policy '${hw.fusion}' needs the scheduler, which is not wired in yet`);
}
