import type { CommandModule } from 'yargs';

/** Every `dse` subcommand; each module owns its options and handler. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [];
