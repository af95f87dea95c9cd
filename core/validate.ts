import type { z } from 'zod';
import { DseError } from './errors.ts';

type Issue = z.core.$ZodIssue;

/**
 * Validates data against a zod schema; the first issue becomes a DseError whose path names
 * the field (`space.peRows.max`), so the CLI prints one line that points at the fix.
 */
export function validate<S extends z.ZodType>(schema: S, data: unknown, opts: { file?: string; pathPrefix?: string } = {}): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = mostSpecific(result.error.issues[0]!);
  const parts = [opts.pathPrefix, ...issue.path.map(String)].filter((p): p is string => !!p && p.length > 0);
  throw new DseError('invalid_field', describe(issue), { path: parts.join('.'), file: opts.file });
}

/**
 * A union's own message is only "Invalid input"; the branch that got furthest (longest path,
 * then not a plain type mismatch) says what is really wrong, so report that one.
 */
function mostSpecific(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !('errors' in issue) || issue.errors.length === 0) return issue;
  let best: Issue | undefined;
  let bestScore = -Infinity;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const inner = mostSpecific(first);
    const score = inner.path.length * 10 + (inner.code === 'invalid_type' ? 0 : 5);
    if (score > bestScore) {
      bestScore = score;
      best = inner;
    }
  }
  if (!best) return issue;
  return { ...best, path: [...issue.path, ...best.path] } as Issue;
}

function describe(issue: Issue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return issue.message;
}
