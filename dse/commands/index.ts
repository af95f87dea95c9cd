import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommandModule } from 'yargs';

/**
 * Every `dse` subcommand: each file in this folder exports `command`, a yargs CommandModule.
 * Files are discovered, so adding a command is adding a file. Handlers import their heavy
 * dependencies lazily, so `dse --help` stays fast.
 */
const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => /\.(ts|js)$/.test(f) && !/^index\./.test(f) && !f.endsWith('.d.ts'))
  .sort();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = await Promise.all(
  files.map(async (f) => ((await import(pathToFileURL(join(here, f)).href)) as { command: CommandModule }).command),
);
