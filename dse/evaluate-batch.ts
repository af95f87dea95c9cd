import type { Design } from '../core/types.ts';
import { evaluateCompact, type EvalContext } from './evaluate-design.ts';
import { linesBatch, STATUSES, type TrialBatch } from './trial-batch.ts';
import { TrialLineWriter } from './trial-line.ts';

const writers = new WeakMap<EvalContext, TrialLineWriter>();

/**
 * Evaluates designs in order and returns their trials as a TrialBatch (journal lines, statuses,
 * objectives), trial i numbered `seqOf(i)`: the per-trial path of the workers (and of a pool of
 * 0 workers). Each design goes through the one evaluation (`evaluateCompact`) without the
 * per-workload detail, and its journal line is written from the metric vector directly.
 * `beforeEach` is a test hook run before each design. `stopped`, asked before each design, ends
 * the batch early (an interrupted run): the trials evaluated so far come back, a prefix.
 */
export async function evaluateToBatch(
  ctx: EvalContext,
  designs: readonly Design[],
  seqOf: (i: number) => number,
  beforeEach?: (design: Design) => void,
  stopped?: () => boolean | Promise<boolean>,
): Promise<TrialBatch> {
  let writer = writers.get(ctx);
  if (!writer) writers.set(ctx, (writer = new TrialLineWriter(ctx.metrics)));
  const n = designs.length;
  const k = ctx.objectives.length;
  const lines = new Array<string>(n);
  const status = new Uint8Array(n);
  const objectives = new Float64Array(n * k).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (stopped && (await stopped())) {
      lines.length = i;
      return linesBatch(lines, status.slice(0, i), objectives.slice(0, i * k));
    }
    beforeEach?.(designs[i]!);
    const c = await evaluateCompact(ctx, designs[i]!);
    lines[i] = writer.line(seqOf(i), c);
    status[i] = STATUSES.indexOf(c.status);
    if (c.objectives) objectives.set(c.objectives, i * k);
  }
  return linesBatch(lines, status, objectives);
}
