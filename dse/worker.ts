import { workerData } from 'node:worker_threads';
import type { Design, Trial } from '../core/types.ts';
import { createEvalContext, evaluateDesign, type EvalContext } from './evaluate-design.ts';
import type { StudySpec } from './study-schema.ts';
import { encodeTrials, type TrialBatch } from './trial-batch.ts';

/**
 * Worker-thread entry: evaluates a chunk of designs of the study given in workerData and sends
 * the trials back compactly (dse/trial-batch.ts): their journal lines serialised here, in
 * parallel, and their statuses and objectives as typed arrays. Workloads are built once per worker.
 */
let context: EvalContext | undefined;

export interface WorkerBatch {
  /** The designs as one JSON array: cheaper for the study loop's thread to send than objects. */
  designsJson: string;
  /** The trials' seq numbers: consecutive from `firstSeq`, or listed (a resumed run's gaps). */
  firstSeq: number;
  seqs?: number[];
  /** Test hook: a design whose evaluation kills the worker (to test crash recovery). */
  crashOn?: string;
}

/** The pool's stop flag (shared memory, EvaluationPool.stop): 1 once the run was interrupted. */
const stop = (workerData as { stop?: Int32Array } | null)?.stop;

export default async function evaluateBatch(batch: WorkerBatch): Promise<TrialBatch> {
  context ??= createEvalContext((workerData as { spec: StudySpec }).spec);
  const designs = JSON.parse(batch.designsJson) as Design[];
  const trials: Trial[] = [];
  // An interrupted run stops between two evaluations: the trials done so far come back (a prefix of the chunk).
  for (let i = 0; i < designs.length && !(stop && Atomics.load(stop, 0) === 1); i++) {
    const design = designs[i]!;
    if (batch.crashOn !== undefined && JSON.stringify(design) === batch.crashOn) process.exit(3);
    trials.push({ seq: batch.seqs ? batch.seqs[i]! : batch.firstSeq + i, ...(await evaluateDesign(context, design)) });
  }
  return encodeTrials(trials, context.spec.objectives.length);
}
