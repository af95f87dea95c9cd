import type { Argv, CommandModule } from 'yargs';
import { DseError } from '../../core/errors.ts';

interface Args {
  /** Read under its own name: `default: undefined` (which keeps `[default: []]` out of --help) leaves yargs' camel-case copy with a stray undefined. */
  'run-dirs': string[];
  baseline: string;
  hvTolerance: string;
  epsTolerance: string;
  junit?: string;
  markdown?: string;
}

/**
 * `dse check <run-dir>... --baseline FILE`: compares the front of a run (or of several runs,
 * one per seed) with a committed baseline. Prints a Markdown table (and appends it to
 * $GITHUB_STEP_SUMMARY when set). Exit 0: within tolerance; 1: regression (the reasons name
 * what regressed); 2: bad input (missing file, another study, other objectives).
 */
export const command: CommandModule<object, Args> = {
  command: 'check <run-dirs..>',
  describe: 'compare the front of a run with a baseline; exit 1 on regression (for CI)',
  builder: (y: Argv<object>) =>
    y
      .example('$0 check runs/pr --baseline front.baseline.json --junit check.xml', 'exit 1 if the front regressed')
      .positional('run-dirs', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'run directories (each with front.json); several for several seeds' })
      .option('baseline', { type: 'string', demandOption: true, describe: 'baseline file written by `dse baseline`' })
      .option('hv-tolerance', { type: 'string', default: '0.5%', describe: 'allowed loss of hypervolume (median ratio over seeds): 0.5% or 0.005' })
      .option('eps-tolerance', { type: 'string', default: '0.005', describe: "allowed additive epsilon, in units of the baseline's range per objective: 0.005 or 0.5%" })
      .option('junit', { type: 'string', describe: 'also write the result as JUnit XML to this file' })
      .option('markdown', { type: 'string', describe: 'also write the Markdown table to this file' }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const started = performance.now();
    const { appendFileSync, writeFileSync } = await import('node:fs');
    const { readFront } = await import('../../results/run-outputs.ts');
    const { readBaseline, compareToBaseline } = await import('../../results/baseline.ts');
    const { checkMarkdown } = await import('../../results/check-markdown.ts');
    const { checkJUnit } = await import('../../results/junit.ts');

    const tolerances = {
      hvTolerance: parseTolerance(argv.hvTolerance, '--hv-tolerance'),
      epsTolerance: parseTolerance(argv.epsTolerance, '--eps-tolerance'),
    };
    const baseline = readBaseline(argv.baseline);
    const runs = argv['run-dirs'].map((d) => readFront(d));
    let result;
    try {
      result = compareToBaseline(runs, baseline, tolerances);
    } catch (e) {
      throw e instanceof DseError ? e.inFile(argv.baseline) : e;
    }
    const md = checkMarkdown(result, { title: `Pareto front check: ${baseline.study.name}` });
    process.stdout.write(md);
    if (argv.markdown) writeFileSync(argv.markdown, md);
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary) appendFileSync(summary, md + '\n');
    if (argv.junit) writeFileSync(argv.junit, checkJUnit(result, { timeS: (performance.now() - started) / 1000 }));
    if (result.verdict === 'regress') {
      for (const r of result.reasons) process.stderr.write(`regression: ${r}\n`);
      process.exitCode = 1;
    }
  },
};

/** The largest tolerance accepted: beyond it a check could pass a front that lost half its value. */
export const MAX_TOLERANCE = 0.5;

/** "0.5%" -> 0.005, "0.005" -> 0.005; a tolerance is a finite number in [0, MAX_TOLERANCE]. */
export function parseTolerance(text: string, option: string): number {
  const t = String(text).trim();
  const percent = t.endsWith('%');
  const x = Number(percent ? t.slice(0, -1) : t);
  const value = percent ? x / 100 : x;
  if (t === '' || t === '%' || !Number.isFinite(x) || value < 0 || value > MAX_TOLERANCE) {
    throw new DseError('bad_option', `expected a fraction from 0 to ${MAX_TOLERANCE} or a percentage from 0% to ${MAX_TOLERANCE * 100}% (like 0.5%), got '${text}'`, { path: option });
  }
  return value;
}
