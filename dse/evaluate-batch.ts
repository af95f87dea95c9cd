import type { Design } from '../core/types.ts';
import { evaluateCompact, type EvalContext } from './evaluate-design.ts';
import { BatchWriter, STATUSES, type TrialBatch } from './trial-batch.ts';
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
  const out = new BatchWriter(designs.length, ctx.objectives.length);
  for (let i = 0; i < designs.length; i++) {
    if (stopped && (await stopped())) return out.finish();
    beforeEach?.(designs[i]!);
    const c = await evaluateCompact(ctx, designs[i]!);
    out.add(writer.line(seqOf(i), c), STATUSES.indexOf(c.status), c.objectives);
  }
  return out.finish();
}
