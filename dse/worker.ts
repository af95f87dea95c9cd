import { workerData } from 'node:worker_threads';
import type { Design } from '../core/types.ts';
import { createEvalContext, evaluateDesign, type EvalContext, type Outcome } from './evaluate-design.ts';
import type { StudySpec } from './study-schema.ts';

/**
 * Worker-thread entry: evaluates a batch of designs of the study given in workerData.
 * Workloads are built once per worker; messages are plain JSON.
 */
let context: EvalContext | undefined;

export interface WorkerBatch {
  designs: Design[];
  /** Test hook: a design whose evaluation kills the worker (to test crash recovery). */
  crashOn?: string;
}

export default async function evaluateBatch(batch: WorkerBatch): Promise<Outcome[]> {
  context ??= createEvalContext((workerData as { spec: StudySpec }).spec);
  const out: Outcome[] = [];
  for (const design of batch.designs) {
    if (batch.crashOn !== undefined && JSON.stringify(design) === batch.crashOn) process.exit(3);
    out.push(await evaluateDesign(context, design));
  }
  return out;
}
