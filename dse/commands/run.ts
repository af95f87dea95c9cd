import type { CommandModule } from 'yargs';
import { DseError } from '../../core/errors.ts';
import { shellHint, terminalLine } from '../../core/inert-text.ts';

interface RunArgs {
  study?: string;
  out?: string;
  workers?: number;
  budget?: number;
  seed?: number;
  algorithm?: string;
  shard?: string;
  'shard-count'?: number;
  resume?: string;
  report: boolean;
}

export const command: CommandModule<object, RunArgs> = {
  command: 'run [study]',
  describe: 'search a study\'s design space and write its journal, Pareto front, summary and report',
  builder: (y) =>
    y
      .example('$0 run configs/quickstart.yaml', 'run the quickstart study (results under runs/)')
      .example('$0 run study.yaml -o runs/try1 --budget 200 --seed 2 --workers 2', 'a smaller run into a chosen directory')
      .example('$0 run --resume runs/try1', 'continue an interrupted run')
      .positional('study', { type: 'string', describe: 'study file (YAML or JSON)' })
      .option('out', { alias: 'o', type: 'string', describe: 'run directory (default runs/<name>/<timestamp>)' })
      .option('workers', { type: 'number', describe: 'worker threads (default: one per core; 0 = in this thread)' })
      .option('budget', { type: 'number', describe: 'override search.budget' })
      .option('seed', { type: 'number', describe: 'override search.seed' })
      .option('algorithm', { type: 'string', describe: 'override search.algorithm (its search.options then take their defaults)' })
      .option('shard', { type: 'string', describe: "run slice i/n of the study, or 'auto' inside a Slurm array / Kubernetes indexed job" })
      .option('shard-count', { type: 'number', describe: "shard count for --shard auto under Kubernetes (JOB_COMPLETION_INDEX)" })
      .option('resume', { type: 'string', describe: 'continue the run in this directory from its journal' })
      .option('report', { type: 'boolean', default: true, describe: 'write report.html at the end (--no-report to skip)' }),
  handler: async (args) => {
    const { runStudy } = await import('../run-study.ts');
    const { ProgressReporter } = await import('../progress.ts');
    const { parseShard } = await import('../shard.ts');
    for (const k of ['workers', 'budget', 'seed', 'shard-count'] as const) {
      const v = args[k];
      if (v !== undefined && (!Number.isInteger(v) || v < (k === 'workers' || k === 'seed' ? 0 : 1))) {
        throw new DseError('invalid_option', `must be a ${k === 'workers' || k === 'seed' ? 'non-negative' : 'positive'} integer`, { path: `--${k}` });
      }
    }
    if (!args.study && !args.resume) throw new DseError('no_study', 'name a study file, or --resume DIR');
    if (args.resume && (args.budget !== undefined || args.seed !== undefined || args.algorithm !== undefined)) {
      throw new DseError('resume_overrides', 'a resumed run keeps the budget, seed and searcher of its journal; drop --budget/--seed/--algorithm', { path: '--resume' });
    }
    const shard = parseShard(args.shard, process.env, args['shard-count']);

    // First Ctrl-C: finish the evaluations running now (the rest of their batch is left to
    // --resume), journal them, write the outputs, exit 130. Second: leave now; the journal is
    // whole up to its last write either way.
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = (): void => {
      interrupts++;
      if (interrupts > 1) process.exit(130);
      process.stderr.write('\ninterrupted: finishing the evaluations in progress (Ctrl-C again to quit now)\n');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const progress = new ProgressReporter();
    try {
      const result = await runStudy(args.study, {
        ...(args.out !== undefined ? { out: args.out } : {}),
        ...(args.workers !== undefined ? { workers: args.workers } : {}),
        ...(args.budget !== undefined ? { budget: args.budget } : {}),
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        ...(args.algorithm !== undefined ? { algorithm: args.algorithm } : {}),
        ...(args.resume !== undefined ? { resume: args.resume } : {}),
        ...(shard ? { shard } : {}),
        signal: controller.signal,
        onProgress: (p) => progress.update(p),
        onWarning: (message) => process.stderr.write(`\nwarning: ${terminalLine(message)}\n`),
      });
      progress.finish();
      const { counts } = result;
      const out = process.stdout;
      out.write(
        `${result.interrupted ? 'interrupted' : 'done'}: ${counts.total} trials (${counts.ok} feasible, ${counts.infeasible} infeasible, ${counts.failed} failed) in ${result.elapsedS.toFixed(1)} s; front of ${result.front.length} designs, hypervolume ${Number(result.hypervolume.toPrecision(4))} (normalised to the front, as in front.json)${result.knee ? `, knee ${result.knee}` : ''}\n`,
      );
      out.write(`journal: ${result.dir}/journal.jsonl\nfront:   ${result.dir}/front.json  (${result.dir}/front.csv)\nsummary: ${result.dir}/summary.md\n`);
      if (args.report && !result.interrupted) {
        const { writeRunReport } = await import('../report-writer.ts');
        out.write(`report:  ${await writeRunReport(result.dir)}\n`);
      }
      if (result.interrupted) {
        out.write(`resume with: dse run --resume ${shellHint(result.dir)}\n`);
        process.exitCode = 130;
      }
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  },
};
