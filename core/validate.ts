import type { z } from 'zod';
import { DseError } from './errors.ts';

/**
 * Validates data against a zod schema; the first issue becomes a DseError whose path names
 * the field (`space.peRows.max`), so the CLI prints one line that points at the fix.
 */
export function validate<S extends z.ZodType>(schema: S, data: unknown, opts: { file?: string; pathPrefix?: string } = {}): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const parts = [opts.pathPrefix, ...issue.path.map(String)].filter((p): p is string => !!p && p.length > 0);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  throw new DseError('invalid_field', message, { path: parts.join('.'), file: opts.file });
}
