import type { Argv, CommandModule } from 'yargs';

interface Args {
  /** Read under its own name: `default: undefined` (which keeps `[default: []]` out of --help) leaves yargs' camel-case copy with a stray undefined. */
  'run-dirs': string[];
  out: string;
}

/**
 * `dse baseline <run-dir>... -o front.baseline.json`: freezes the front of one run, or of
 * several runs of the same study under different seeds (one front per seed), as the file
 * `dse check` compares later runs with. Commit that file.
 */
export const command: CommandModule<object, Args> = {
  command: 'baseline <run-dirs..>',
  describe: 'write a baseline of the front(s) of one or more runs (one per seed), for `dse check`',
  builder: (y: Argv<object>) =>
    y
      .example('$0 baseline runs/seed1 runs/seed2 -o front.baseline.json', 'freeze the fronts of two seeds')
      .positional('run-dirs', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'run directories (each with front.json)' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'baseline file to write, e.g. front.baseline.json' }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const { writeFileSync } = await import('node:fs');
    const { readFront } = await import('../../results/run-outputs.ts');
    const { makeBaseline, baselineToJson } = await import('../../results/baseline.ts');
    const runs = argv['run-dirs'].map((d) => readFront(d));
    const baseline = makeBaseline(runs);
    writeFileSync(argv.out, baselineToJson(baseline));
    const points = baseline.fronts.reduce((n, f) => n + f.points.length, 0);
    process.stdout.write(
      `wrote ${argv.out}: study '${baseline.study.name}', ${baseline.fronts.length} front${baseline.fronts.length === 1 ? '' : 's'} (seed${baseline.fronts.length === 1 ? '' : 's'} ${baseline.fronts.map((f) => f.seed).join(', ')}), ${points} points\n`,
    );
  },
};
