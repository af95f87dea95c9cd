import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** accel-dse's version, from its package.json (written into every journal header). */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
