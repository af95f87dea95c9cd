import { readFileSync } from 'node:fs';
import { packageFile } from './package-layout.ts';

let cached: string | undefined;

/** accel-dse's version, from its package.json (written into every journal header). */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
