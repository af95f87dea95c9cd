// One benchmark run in its own process, on the compiled package (dist/, built by bench/run.ts)
// with plain node, as a user runs it. Prints, as JSON: trials, whole-run time, the steady rate
// (trials per second after the first batch, so worker start-up is excluded), peak RSS and front size.
import { runStudy } from '../dist/index.js';

const [study, workers, budget, out] = process.argv.slice(2);
let firstBatch;
let last = { done: 0, atS: 0 };
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
