/**
 * accel-dse as a library, for scripts and notebooks:
 *   import { runStudy, loadStudy, evaluate, paretoFront, kneeIndex, normalizedHypervolume, writeReport } from 'accel-dse';
 */
export { runStudy, type RunOptions, type RunResult } from './dse/run-study.ts';
export { loadStudy, studyFromObject, type Study } from './dse/load-study.ts';
// One evaluation path: `evaluate` (a design of a study) and `evaluateHardware` (a hardware
// description on one workload) cost designs exactly as a run's workers do.
export { evaluate, evaluateHardware, type EvaluateHardwareOptions } from './dse/evaluate.ts';
export { createEvalContext, evaluateDesign, evaluateDesignDetail, type DesignEvaluation, type WorkloadEvaluation } from './dse/evaluate-design.ts';
export { normalizeHardware, DEFAULT_HARDWARE } from './models/hardware.ts';
export { loadHardwareFile } from './models/hardware-file.ts';
export { loadWorkload, listZoo } from './models/workload/load-workload.ts';
export { scheduleWorkload, type ScheduleOptions, type ScheduleResult } from './search/schedule/index.ts';
export { paretoFront } from './results/pareto-front.ts';
export { dominates, nonDominatedIndices } from './results/dominance.ts';
export { kneeIndex } from './results/front-archive.ts';
export { hypervolume, normalizedHypervolume } from './results/hypervolume.ts';
export { normalizationOf, normalize, referencePoint, type Normalization } from './results/normalize.ts';
export { igdPlus, additiveEpsilon } from './results/indicators.ts';
export { readJournal } from './results/journal.ts';
export { readFront, type FrontFile } from './results/run-outputs.ts';
export { problemHash, headerProblemHash } from './results/problem-hash.ts';
export { writeReport, buildRunReportModel, renderReport, type ReportOptions, type ReportFormat } from './dse/report-writer.ts';
export { createSearcher } from './search/registry.ts';
export { DseError } from './core/errors.ts';
export type * from './models/types.ts';
export type * from './core/types.ts';
