import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Design } from '../core/types.ts';
import { createEvalContext, designHash, evaluateDesign, type EvalContext, type Outcome } from './evaluate-design.ts';
import { workerModuleUrl } from './package-layout.ts';
import type { StudySpec } from './study-schema.ts';
import type { WorkerBatch, WorkerOutcome } from './worker.ts';

export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * Evaluates designs in a pool of worker threads (or in this thread with 0 workers).
 * A batch is cut into a few chunks per worker so each task amortises piscina's per-task cost
 * (tens of microseconds) while the workers stay balanced. Outcomes come back in input order,
 * so results do not depend on the number of workers. A chunk whose worker dies (or that was
 * queued on it) is retried once on a fresh worker; if it dies again, its designs become failed trials.
 */
export class EvaluationPool {
  readonly workers: number;
  private readonly piscina: Piscina | undefined;
  private readonly local: EvalContext | undefined;
  /** Test hook passed to workers: the canonical JSON of a design that kills its worker. */
  crashOn: string | undefined;
  /** Chunks that had to be retried because their worker died (for logs and tests). */
  retriedChunks = 0;

  constructor(spec: StudySpec, workers: number) {
    this.workers = workers;
    if (workers <= 0) {
      this.local = createEvalContext(spec);
      return;
    }
    this.piscina = new Piscina({
      filename: workerModuleUrl,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      workerData: { spec },
      // Per-task timing histograms cost the study loop's thread microseconds per task.
      recordTiming: false,
      // A second task waits in each worker's own queue, so a worker that finishes a chunk starts
      // the next at once instead of waiting for this thread to be free to hand it over.
      concurrentTasksPerWorker: 2,
    });
  }

  async evaluate(designs: Design[]): Promise<Outcome[]> {
    if (designs.length === 0) return [];
    if (this.local) {
      const out: Outcome[] = [];
      for (const d of designs) out.push(await evaluateDesign(this.local, d));
      return out;
    }
    const chunkCount = Math.min(designs.length, this.workers * 2);
    const chunkSize = Math.ceil(designs.length / chunkCount);
    const chunks: Design[][] = [];
    for (let i = 0; i < designs.length; i += chunkSize) chunks.push(designs.slice(i, i + chunkSize));
    const results = await Promise.all(chunks.map((c) => this.runChunk(c)));
    return results.flat();
  }

  private async runChunk(designs: Design[]): Promise<Outcome[]> {
    const task: WorkerBatch = { designs, ...(this.crashOn !== undefined ? { crashOn: this.crashOn } : {}) };
    try {
      return withDesigns(designs, (await this.piscina!.run(task)) as WorkerOutcome[]);
    } catch (first) {
      this.retriedChunks++;
      try {
        return withDesigns(designs, (await this.piscina!.run({ designs })) as WorkerOutcome[]);
      } catch (second) {
        const message = `worker died twice evaluating this batch: ${(second as Error).message ?? String(second)} (first: ${(first as Error).message ?? String(first)})`;
        return designs.map((design) => ({ hash: designHash(design), design, status: 'failed' as const, error: message }));
      }
    }
  }

  async close(): Promise<void> {
    await this.piscina?.destroy();
  }
}

/** Outcomes with the designs they belong to (workers do not send them back). */
function withDesigns(designs: Design[], outcomes: WorkerOutcome[]): Outcome[] {
  return outcomes.map(({ hash, ...rest }, i) => ({ hash, design: designs[i]!, ...rest }));
}
