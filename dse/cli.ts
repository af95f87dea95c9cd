import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { exitFor, UsageError } from './cli-exit.ts';
import { commands } from './commands/index.ts';
import { toolVersion } from './version.ts';

/**
 * The `dse` command line. Each subcommand lives in dse/commands/<name>.ts.
 * User errors (DseError) print one line and exit 2; `dse check` exits 1 on regression.
 */
async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('dse')
    .strict()
    .demandCommand(1, 'name a command (dse --help lists them)')
    .recommendCommands()
    .example('$0 run configs/quickstart.yaml', 'search the quickstart study; prints where its front and report are')
    .example('$0 <command> --help', 'options and examples of one command')
    .help()
    .version(toolVersion())
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      // yargs spreads some messages over lines ("Invalid values:\n  Argument: ..."): one line.
      throw new UsageError((msg ?? 'bad usage').replace(/\s*\n\s*/g, ' '));
    });
  for (const c of commands) cli = cli.command(c);
  cli = cli.middleware(refuseRepeatedOptions as unknown as Parameters<typeof cli.middleware>[0], true);
  await cli.parseAsync();
}


/**
 * `--out a --out b` gives yargs an array where the command expects one value; rather than
 * picking one silently (or failing later on the array), say so. Options declared as arrays
 * (--param, the run directories) may repeat.
 */
function refuseRepeatedOptions(argv: Record<string, unknown>, y: { getOptions(): { array: string[] } }): void {
  const arrays = new Set(y.getOptions().array);
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || !Array.isArray(value) || arrays.has(key)) continue;
    if (key.includes('-') === false && /[A-Z]/.test(key) && arrays.has(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))) continue;
    const shown = value.map((v) => String(v)).join(', ');
    throw new UsageError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} was given ${value.length} times (${shown.length > 80 ? `${shown.slice(0, 80)}...` : shown}); give it once`);
  }
}

// Piping into `head` closes stdout early: that is a normal end, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(hideBin(process.argv)).catch((e: unknown) => {
  const { code, text } = exitFor(e);
  process.stderr.write(text);
  process.exit(code);
});
