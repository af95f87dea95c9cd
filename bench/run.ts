import { execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printTable, type BenchSection } from './table.ts';

/**
 * `npm run bench`: runs every section in bench/sections/ (or those named on the command
 * line, e.g. `npm run bench -- cost-model`) and prints one table each. Medians of repeated
 * runs; these machines are noisy, so compare ratios within one run. The runner sections measure
 * the compiled program, so dist/ is rebuilt first (never a stale build).
 */
const dir = join(dirname(fileURLToPath(import.meta.url)), 'sections');
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort();
execSync('npm run --silent build', { cwd: join(dir, '..', '..'), stdio: 'inherit' });
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { section: BenchSection };
  const started = Date.now();
  const tables = await mod.section.run();
  for (const t of tables) printTable(t);
  process.stdout.write(`(${mod.section.name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n\n`);
}
