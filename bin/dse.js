#!/usr/bin/env node
// The `dse` command: runs the compiled JavaScript in dist/ (built by `npm run build`, which
// `npm ci`/`npm install` run through the `prepare` script). bin/dse-dev.js runs the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const cli = new URL('dist/dse/cli.js', root);

if (!existsSync(cli)) {
  process.stderr.write('dse: dist/ is not built: run `npm run build` (or `npm ci`), or run the sources with `npm run dse -- <args>`\n');
  process.exit(2);
}

// In a checkout (sources present), a build older than a source file runs old code: say so.
if (existsSync(new URL('dse/cli.ts', root))) {
  const builtAt = statSync(cli).mtimeMs;
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(new URL(`${e.name}/`, dir)) : e.name.endsWith('.ts') && statSync(new URL(e.name, dir)).mtimeMs > builtAt,
    );
  if (['core/', 'models/', 'search/', 'results/', 'dse/'].some((d) => newer(new URL(d, root)))) {
    process.stderr.write('dse: warning: dist/ is older than the sources; run `npm run build` (or `npm run dse -- <args>` to run the sources)\n');
  }
}

await import(cli.href);
