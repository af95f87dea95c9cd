import { runStudy } from '../dse/run-study.ts';

/**
 * One benchmark run in its own process. Prints, as JSON: trials, whole-run time, the steady
 * rate (trials per second after the first batch, so worker start-up is excluded), peak RSS
 * and front size.
 */
const [study, workers, budget, out] = process.argv.slice(2) as [string, string, string, string];
let firstBatch: { done: number; atS: number } | undefined;
let last: { done: number; atS: number } = { done: 0, atS: 0 };
const result = await runStudy(study, {
  workers: Number(workers),
  budget: Number(budget),
  out,
  onProgress: (p) => {
    firstBatch ??= { done: p.done, atS: p.elapsedS };
    last = { done: p.done, atS: p.elapsedS };
  },
});
const steadyRate = firstBatch && last.atS > firstBatch.atS ? (last.done - firstBatch.done) / (last.atS - firstBatch.atS) : NaN;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  JSON.stringify({ trials: result.counts.total, elapsedS: result.elapsedS, steadyRate, maxRssMB, frontSize: result.front.length }) + '\n',
);
