import type { Argv, CommandModule } from 'yargs';

interface Args {
  /** Read under its own name: `default: undefined` (which keeps `[default: []]` out of --help) leaves yargs' camel-case copy with a stray undefined. */
  'run-dirs': string[];
  out: string;
}

/**
 * `dse merge <run-dir>... --out DIR`: unites the journals of several runs of one study
 * (the shards of a Slurm array) into one run directory: journal.jsonl, front.json,
 * front.csv and summary.md, as if one run had evaluated every design.
 */
export const command: CommandModule<object, Args> = {
  command: 'merge <run-dirs..>',
  describe: 'merge the run directories of shards of one study into one run directory',
  builder: (y: Argv<object>) =>
    y
      .example('$0 merge runs/x/*-shard-* -o runs/x/merged', 'unite the shards of a study')
      .positional('run-dirs', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'run directories (each with journal.jsonl)' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'directory for the merged run (must not hold a journal yet)' }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const { makeDirectory } = await import('../../core/write-file.ts');
    const { join, resolve } = await import('node:path');
    const { DseError } = await import('../../core/errors.ts');
    const { mergeRuns } = await import('../../results/merge.ts');
    const { JournalWriter } = await import('../../results/journal.ts');
    const { writeRunOutputs } = await import('../../results/run-outputs.ts');
    const { paretoFront } = await import('../../results/pareto-front.ts');

    const out = resolve(argv.out);
    if (argv['run-dirs'].some((d) => resolve(d) === out)) {
      throw new DseError('merge_out_is_input', 'the output directory is one of the runs being merged; choose a new directory', { path: '--out' });
    }
    const { journalTrialCheck } = await import('../journal-trust.ts');
    const merged = mergeRuns(argv['run-dirs'], { check: journalTrialCheck });
    makeDirectory(out);
    const writer = JournalWriter.create(join(out, 'journal.jsonl'), merged.header);
    try {
      // Batches keep each write a few MiB even for a million trials.
      for (let i = 0; i < merged.trials.length; i += 10000) writer.append(merged.trials.slice(i, i + 10000));
    } finally {
      writer.close();
    }
    const counts = { total: merged.trials.length, ok: 0, infeasible: 0, failed: 0 };
    for (const t of merged.trials) counts[t.status]++;
    const front = paretoFront(merged.trials);
    writeRunOutputs(out, { header: merged.header, front, counts });
    process.stdout.write(
      `merged ${argv['run-dirs'].length} run${argv['run-dirs'].length === 1 ? '' : 's'} into ${argv.out}: ${counts.total} designs (${counts.ok} feasible, ${counts.infeasible} infeasible, ${counts.failed} failed), front of ${front.length}\n`,
    );
  },
};
