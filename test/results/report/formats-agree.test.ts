import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../../results/journal.ts';
import { renderHtml } from '../../../results/report/html.ts';
import { renderNotebook } from '../../../results/report/ipynb.ts';
import { renderMarkdown } from '../../../results/report/markdown.ts';
import { htmlTable, markdownTableAfter, modelOf } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-formats-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const run = writeSyntheticRun(join(dir, 'run'), { trials: 400, seed: 5 });
const model = modelOf([run]);

/** Brute-force front (O(n^2), independent of results/dominance.ts): feasible trials no other feasible trial dominates. */
function bruteFront(): Set<string> {
  const ok = readJournal(join(run, 'journal.jsonl')).trials.filter((t) => t.status === 'ok');
  const dom = (a: number[], b: number[]): boolean => a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);
  return new Set(ok.filter((t) => !ok.some((u) => dom(u.objectives!, t.objectives!))).map((t) => t.hash));
}

test('the model front is exactly the brute-force front of the journal', () => {
  assert.deepEqual(new Set(model.front.map((d) => d.hash)), bruteFront());
  assert.ok(model.front.length >= 3, `front of ${model.front.length}`);
});

test('HTML, Markdown and notebook front tables hold the same numbers, and they are the front objectives in display units', () => {
  const html = htmlTable(renderHtml(model), 'front-table');
  const md = markdownTableAfter(renderMarkdown(model), 'Front designs');
  const nb = JSON.parse(renderNotebook(model)) as { cells: { outputs?: { data: Record<string, string[]> }[] }[] };
  const nbHtml = nb.cells
    .flatMap((c) => c.outputs ?? [])
    .map((o) => (o.data?.['text/html'] ?? []).join(''))
    .find((t) => t.includes('id="front-table"'));
  assert.ok(nbHtml, 'notebook has the front table');
  const ipynb = htmlTable(nbHtml, 'front-table');

  assert.equal(html.length, model.front.length + 1);
  assert.deepEqual(md, html);
  assert.deepEqual(ipynb, html);

  // Independent check of the numbers: each objective cell, times the unit, is the stored value to 4 significant digits.
  const header = html[0]!;
  model.objectives.forEach((o, k) => {
    const col = header.indexOf(o.unit ? `${o.label} (${o.unit})` : o.label);
    assert.ok(col >= 0, `column for ${o.name} in ${header.join(', ')}`);
    model.front.forEach((d, r) => {
      const shown = Number(html[r + 1]![col]);
      const stored = d.objectives[k]!;
      assert.ok(Math.abs(shown / o.scale - stored) <= 5e-4 * Math.abs(stored), `${o.name} row ${r}: ${shown} ${o.unit} vs ${stored}`);
    });
  });
});

test('units are natural: the median front value of each objective shows between 1 and 1000', () => {
  for (const [k, o] of model.objectives.entries()) {
    const vals = model.front.map((d) => d.objectives[k]!).sort((a, b) => a - b);
    const shown = vals[vals.length >> 1]! * o.scale;
    assert.ok(shown >= 1 && shown < 1000, `${o.name}: median ${shown} ${o.unit}`);
  }
  assert.deepEqual(model.objectives.map((o) => o.label), ['latency', 'energy', 'area']);
  assert.equal(model.objectives[2]!.unit, 'mm²');
});
