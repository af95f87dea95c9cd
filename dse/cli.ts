import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isDseError } from '../core/errors.ts';
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
  await cli.parseAsync();
}

class UsageError extends Error {}

// Piping into `head` closes stdout early: that is a normal end, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(hideBin(process.argv)).catch((e: unknown) => {
  if (isDseError(e)) {
    process.stderr.write(`error: ${e.toLine()}\n`);
    process.exit(2);
  }
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message} (dse --help for usage)\n`);
    process.exit(2);
  }
  process.stderr.write(`internal error (a bug in accel-dse, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(70);
});
