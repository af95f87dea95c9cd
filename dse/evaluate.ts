import type { Design, ParamValue } from '../core/types.ts';
import { loadHardwareFile } from '../models/hardware-file.ts';
import { normalizeHardware } from '../models/hardware.ts';
import type { Hardware, Workload } from '../models/types.ts';
import { loadWorkload } from '../models/workload/load-workload.ts';
import { costWorkload, createEvalContext, evaluateDesignDetail, type DesignEvaluation, type EvalContext, type WorkloadEvaluation } from './evaluate-design.ts';
import { loadStudy, type Study } from './load-study.ts';
import type { SchedulePlanner } from './schedule-plan.ts';
import type { StudySpec } from './study-schema.ts';

/**
 * The library's evaluation entry points. Both go through `costWorkload`
 * (dse/evaluate-design.ts), the same function the study's workers, `dse eval` and the
 * report's design anatomy use, so a design evaluated here gets exactly the metrics its row
 * in front.json has: fusion schedule and mixed-precision bitwidths included.
 */

const contexts = new WeakMap<Study, EvalContext>();

/**
 * Evaluates a design of a study (a loaded Study or a study file): the study's fixed values
 * overlaid with the design, on every workload of the study, aggregated as the study says.
 * Returns the trial outcome (status, metrics, objectives, violations) and each workload's
 * evaluation layer by layer.
 */
export async function evaluate(study: Study | string, design: Design): Promise<DesignEvaluation> {
  const s = typeof study === 'string' ? loadStudy(study) : study;
  let ctx = contexts.get(s);
  if (!ctx) {
    ctx = createEvalContext(s.spec);
    contexts.set(s, ctx);
  }
  return evaluateDesignDetail(ctx, design);
}

export interface EvaluateHardwareOptions {
  /** Zoo parameters when `workload` is a zoo name. */
  params?: Record<string, ParamValue>;
  /** How fusion schedules are solved (default: HiGHS, 2 s, as in a study). */
  schedule?: Partial<SchedulePlanner>;
  /** Per-layer bitwidths chosen as a study's `mixedPrecision` would. */
  mixedPrecision?: StudySpec['mixedPrecision'];
}

/**
 * Evaluates one hardware description (an object with any hardware parameters, or a hardware
 * file) on one workload (a Workload, a zoo name or a workload file), layer by layer: the
 * hardware's `fusion` policy schedules the workload first, as in a study.
 */
export async function evaluateHardware(
  hardware: Partial<Hardware> | Record<string, ParamValue> | string,
  workload: Workload | string,
  opts: EvaluateHardwareOptions = {},
): Promise<WorkloadEvaluation & { hardware: Hardware }> {
  const hw = typeof hardware === 'string' ? loadHardwareFile(hardware) : normalizeHardware(hardware);
  const w = typeof workload === 'string' ? loadWorkload(workload, opts.params ?? {}) : workload;
  const planner: SchedulePlanner = { solver: opts.schedule?.solver ?? 'highs', timeLimitS: opts.schedule?.timeLimitS ?? 2 };
  const evaluation = await costWorkload(hw, w, { planner, ...(opts.mixedPrecision ? { mixedPrecision: opts.mixedPrecision } : {}) });
  return { ...evaluation, hardware: hw };
}
