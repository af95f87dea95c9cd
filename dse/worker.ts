import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Design } from '../core/types.ts';
import { evaluateToBatch } from './evaluate-batch.ts';
import { createEvalContext, type EvalContext } from './evaluate-design.ts';
import type { StudySpec } from './study-schema.ts';
import type { TrialBatch } from './trial-batch.ts';

/**
 * Worker-thread entry: evaluates a chunk of designs of the study given in workerData and sends
 * the trials back compactly (dse/trial-batch.ts): their journal lines written here, in
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
  const { seqs, firstSeq, crashOn } = batch;
  const crash = crashOn === undefined ? undefined : (design: Design): void => {
    if (JSON.stringify(design) === crashOn) process.exit(3);
  };
  // An interrupted run stops between two evaluations: the trials done so far come back (a prefix of the chunk).
  const stopped = stop ? (): boolean => Atomics.load(stop, 0) === 1 : undefined;
  const out = await evaluateToBatch(context, designs, seqs ? (i) => seqs[i]! : (i) => firstSeq + i, crash, stopped);
  return movedBatch(out);
}

/**
 * The batch with its typed arrays' buffers moved to the study loop's thread rather than
 * copied: posting a copy of every journal line cost the worker microseconds per trial, and
 * the study loop as much again to receive it. Piscina returns the batch itself.
 */
function movedBatch(batch: TrialBatch): TrialBatch {
  const buffers = [batch.lines.buffer, batch.lineStart.buffer, batch.status.buffer, batch.objectives.buffer];
  return move({ [transferableSymbol]: buffers, [valueSymbol]: batch } as unknown as Parameters<typeof move>[0]) as unknown as TrialBatch;
}
