/**
 * accel-dse as a library, for scripts and notebooks:
 *   import { runStudy, evaluate, loadStudy, paretoFront, hypervolume } from 'accel-dse';
 */
export { runStudy, type RunOptions, type RunResult } from './dse/run-study.ts';
export { loadStudy, studyFromObject, type Study } from './dse/load-study.ts';
export { evaluateDesign, createEvalContext } from './dse/evaluate-design.ts';
export { evaluateWorkload as evaluate, evaluateLayer } from './models/cost/evaluate.ts';
export { normalizeHardware, DEFAULT_HARDWARE } from './models/hardware.ts';
export { loadHardwareFile } from './models/hardware-file.ts';
export { loadWorkload, listZoo } from './models/workload/load-workload.ts';
export { paretoFront } from './results/pareto-front.ts';
export { dominates, nonDominatedIndices } from './results/dominance.ts';
export { hypervolume } from './results/hypervolume.ts';
export { igdPlus, additiveEpsilon } from './results/indicators.ts';
export { readJournal } from './results/journal.ts';
export { problemHash, headerProblemHash } from './results/problem-hash.ts';
export { createSearcher } from './search/registry.ts';
export { DseError } from './core/errors.ts';
export type * from './models/types.ts';
export type * from './core/types.ts';
