import { DseError } from '../core/errors.ts';

/**
 * Zoo parameters given on the command line as repeated `--param name=value`. Values stay
 * strings: the zoo validates and converts each against its own parameter spec.
 */
export function parseParamOptions(list: readonly string[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const p of list ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new DseError('bad_usage', `expected name=value, got '${p}'`, { path: '--param' });
    params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return params;
}
