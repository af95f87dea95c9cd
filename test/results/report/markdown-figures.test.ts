import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeReport } from '../../../dse/report-writer.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

/** The Markdown report links static SVG figures, and every linked file exists next to it. */
test('the Markdown report embeds figures that exist on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-md-fig-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 800, seed: 6, name: 'a <b>study</b>' });
    const out = await writeReport({ runDirs: [run], out: join(dir, 'out', 'report.md') });
    const md = readFileSync(out, 'utf8');
    const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => decodeURIComponent(m[1]!));
    // Three objectives: three Pareto pairs, convergence, importance.
    assert.equal(links.length, 5, links.join(', '));
    for (const l of links) {
      assert.ok(l.startsWith('report-figures/') && l.endsWith('.svg'), l);
      const file = join(dirname(out), l);
      assert.ok(existsSync(file), `${l} exists`);
      const svg = readFileSync(file, 'utf8');
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.trimEnd().endsWith('</svg>'), l);
      assert.equal(/<script|<b>/i.test(svg), false, 'no markup from names');
    }
    const pareto = readFileSync(join(dirname(out), links[0]!), 'utf8');
    assert.ok((pareto.match(/<circle/g) ?? []).length > 50, 'the cloud and the front are drawn');
    assert.ok(pareto.includes('dataflow = os'), 'front designs coloured by dataflow, with a legend');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
