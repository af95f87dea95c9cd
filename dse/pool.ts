import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Design, Trial } from '../core/types.ts';
import { evaluateToBatch } from './evaluate-batch.ts';
import { createEvalContext, designHash, type EvalContext } from './evaluate-design.ts';
import { workerModuleUrl } from './package-layout.ts';
import type { StudySpec } from './study-schema.ts';
import { concatBatches, encodeTrials, type TrialBatch } from './trial-batch.ts';
import type { WorkerBatch } from './worker.ts';

export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * Evaluates designs in a pool of worker threads (or in this thread with 0 workers) and returns
 * the trials as one TrialBatch (journal lines and typed arrays, see dse/trial-batch.ts).
 * A batch is cut into a few chunks per worker so each task amortises piscina's per-task cost
 * (tens of microseconds) while the workers stay balanced. Trials come back in input order,
 * so results do not depend on the number of workers. A chunk whose worker dies (or that was
 * queued on it) is retried once on a fresh worker; if it dies again, its designs become failed trials.
 */
export class EvaluationPool {
  readonly workers: number;
  private readonly piscina: Piscina | undefined;
  private readonly local: EvalContext | undefined;
  private readonly objectiveCount: number;
  /** Test hook passed to workers: the canonical JSON of a design that kills its worker. */
  crashOn: string | undefined;
  /** Chunks that had to be retried because their worker died (for logs and tests). */
  retriedChunks = 0;
  /**
   * Set to 1 by `stop()`; every worker reads it between two evaluations (shared memory: a
   * message would wait behind the chunk the worker is busy with).
   */
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(spec: StudySpec, workers: number) {
    this.workers = workers;
    this.objectiveCount = spec.objectives.length;
    if (workers <= 0) {
      this.local = createEvalContext(spec);
      return;
    }
    this.piscina = new Piscina({
      filename: workerModuleUrl,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      workerData: { spec, stop: this.stopFlag },
      // Per-task timing histograms cost the study loop's thread microseconds per task.
      recordTiming: false,
      // A worker's garbage is short-lived (each trial's cost-model objects and journal line), but
      // with V8's default young generation (48 MB) each worker grew to about 80 MB before its
      // first full collection, and a long run's peak RSS kept rising with the number of trials.
      // A small young generation keeps a worker near 30 MB and the peak flat (`npm run bench --
      // runner-memory`); old-generation limits are left alone, so no study can run out of memory.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
      // A second task waits in each worker's own queue, so a worker that finishes a chunk starts
      // the next at once instead of waiting for this thread to be free to hand it over.
      concurrentTasksPerWorker: 2,
    });
  }

  /**
   * Evaluates `designs`; trial i gets seq `seqs[i]`, or `seqs + i` when seqs is a number (the
   * first of consecutive numbers).
   */
  async evaluate(designs: Design[], seqs: number | number[] = 0): Promise<TrialBatch> {
    const seqOf = (i: number): number => (typeof seqs === 'number' ? seqs + i : seqs[i]!);
    if (this.local) {
      // Evaluating in this thread: let a signal handler run now and then (it may call stop()).
      let yieldedAt = Date.now();
      const stopped = async (): Promise<boolean> => {
        if (Date.now() - yieldedAt > 50) {
          await new Promise((resolve) => setImmediate(resolve));
          yieldedAt = Date.now();
        }
        return this.stopped;
      };
      return evaluateToBatch(this.local, designs, seqOf, undefined, stopped);
    }
    if (designs.length === 0) return encodeTrials([], this.objectiveCount);
    const chunkCount = Math.min(designs.length, this.workers * 2);
    const chunkSize = Math.ceil(designs.length / chunkCount);
    const chunks: Promise<TrialBatch>[] = [];
    for (let i = 0; i < designs.length; i += chunkSize) {
      const end = Math.min(designs.length, i + chunkSize);
      const part = designs.slice(i, end);
      const chunk: WorkerBatch = { designsJson: JSON.stringify(part), ...(typeof seqs === 'number' ? { firstSeq: seqs + i } : { firstSeq: 0, seqs: seqs.slice(i, end) }) };
      chunks.push(this.runChunk(chunk, part));
    }
    return concatBatches(await Promise.all(chunks), this.objectiveCount);
  }

  private async runChunk(chunk: WorkerBatch, designs: Design[]): Promise<TrialBatch> {
    const task: WorkerBatch = { ...chunk, ...(this.crashOn !== undefined ? { crashOn: this.crashOn } : {}) };
    try {
      return (await this.piscina!.run(task)) as TrialBatch;
    } catch (first) {
      this.retriedChunks++;
      try {
        return (await this.piscina!.run(chunk)) as TrialBatch;
      } catch (second) {
        const error = `worker died twice evaluating this batch: ${(second as Error).message ?? String(second)} (first: ${(first as Error).message ?? String(first)})`;
        const trials = designs.map((design, i): Trial => ({
          seq: chunk.seqs ? chunk.seqs[i]! : chunk.firstSeq + i,
          hash: designHash(design),
          design,
          status: 'failed',
          error,
        }));
        return encodeTrials(trials, this.objectiveCount);
      }
    }
  }

  /**
   * Stops the batches in progress after the evaluations running now: `evaluate` then returns
   * only the trials evaluated, in the same order (each chunk's first ones), possibly none.
   * Ctrl-C calls it, so a run stops in about one evaluation rather than one batch.
   */
  stop(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  get stopped(): boolean {
    return Atomics.load(this.stopFlag, 0) === 1;
  }

  async close(): Promise<void> {
    await this.piscina?.destroy();
  }
}
