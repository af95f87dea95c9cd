// One benchmark run in its own process, on the compiled package (dist/, built by bench/run.ts)
// with plain node, as a user runs it. Prints, as JSON: trials, whole-run time, the steady rate
// (trials per second after the first batch, so worker start-up is excluded), peak RSS, front size
// and the CPU time of all its threads.
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
const usage = process.resourceUsage();
const maxRssMB = usage.maxRSS / 1024;
// CPU time of every thread of the process (study loop and workers): steadier than wall time on a shared machine.
const cpuS = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stdout.write(
  JSON.stringify({ trials: result.counts.total, elapsedS: result.elapsedS, steadyRate, maxRssMB, frontSize: result.front.length, cpuS }) + '\n',
);
