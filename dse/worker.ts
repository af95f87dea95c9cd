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

/** Outcomes without their designs: the caller has them, and every byte sent back is copied. */
export type WorkerOutcome = Omit<Outcome, 'design'>;

export default async function evaluateBatch(batch: WorkerBatch): Promise<WorkerOutcome[]> {
  context ??= createEvalContext((workerData as { spec: StudySpec }).spec);
  const out: WorkerOutcome[] = [];
  for (const design of batch.designs) {
    if (batch.crashOn !== undefined && JSON.stringify(design) === batch.crashOn) process.exit(3);
    const { design: _sent, ...outcome } = await evaluateDesign(context, design);
    out.push(outcome);
  }
  return out;
}
