import { runStudy } from '../dse/run-study.ts';

/** One benchmark run in its own process: prints trials, time, peak RSS and front size as JSON. */
const [study, workers, budget, out] = process.argv.slice(2) as [string, string, string, string];
const result = await runStudy(study, { workers: Number(workers), budget: Number(budget), out });
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ trials: result.counts.total, elapsedS: result.elapsedS, maxRssMB, frontSize: result.front.length }) + '\n');
