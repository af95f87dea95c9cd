import { isDseError } from '../core/errors.ts';
import { terminalLine } from '../core/inert-text.ts';
import { isOsError, osErrorToDse } from '../core/write-file.ts';

/** A mistake in the command line itself (unknown option, an option given twice). */
export class UsageError extends Error {}

/**
 * What the CLI prints and exits with for an error that ended a command: the user's input
 * (DseError) or environment (an OS error) or command line (UsageError) give one inert line and
 * exit 2; anything else is a bug, printed with its stack, exit 70.
 */
export function exitFor(e: unknown): { code: 2 | 70; text: string } {
  if (isDseError(e)) return { code: 2, text: `error: ${terminalLine(e.toLine())}\n` };
  // The user's environment (permissions, a read-only or full disk), not a bug.
  if (isOsError(e)) return { code: 2, text: `error: ${terminalLine(osErrorToDse(e, e.syscall ?? 'access').toLine())}\n` };
  if (e instanceof UsageError) return { code: 2, text: `error: ${terminalLine(e.message)} (dse --help for usage)\n` };
  return { code: 70, text: `internal error (a bug in accel-dse, please report it):\n${(e as Error)?.stack ?? String(e)}\n` };
}
