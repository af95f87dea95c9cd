import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeHtml, escapeMarkdown, jsonForScript } from '../../../results/report/escape.ts';
import { renderHtml } from '../../../results/report/html.ts';
import { renderNotebook } from '../../../results/report/ipynb.ts';
import { renderMarkdown } from '../../../results/report/markdown.ts';
import { modelOf } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

const EVIL = '<script>alert(1)</script>';
const EVIL_WORKLOAD = '</script><!--<script>alert(2)//';

test('jsonForScript: same JSON back, and no way out of a script element', () => {
  const value = { a: EVIL, b: '<!-- x -->', c: '</SCRIPT >', d: 'a\u2028b&c', e: [1, 2.5, null] };
  const text = jsonForScript(value);
  assert.deepEqual(JSON.parse(text), value);
  assert.doesNotMatch(text, /<\/script/i);
  assert.doesNotMatch(text, /<!--/);
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
});

test('escapeHtml and escapeMarkdown neutralise tags', () => {
  assert.equal(escapeHtml(EVIL), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(escapeHtml(`a"b'c&`), 'a&quot;b&#39;c&amp;');
  const md = escapeMarkdown(`${EVIL} | *x* [l](u)\nnext`);
  assert.doesNotMatch(md, /[<>\n]/);
  assert.match(md, /\\\|/);
  assert.match(md, /\\\*x\\\*/);
});

/** A run whose study name, workload name and a categorical parameter value are hostile. */
function hostileRun(dir: string): string {
  const run = writeSyntheticRun(join(dir, 'run'), { trials: 120, seed: 3, name: EVIL });
  const file = join(run, 'journal.jsonl');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]!);
  header.study.workloads[0].name = EVIL_WORKLOAD;
  header.study.space.dataflow = { categorical: ['os', 'ws', '<img src=x onerror=alert(3)>'] };
  const out = [JSON.stringify(header)];
  for (const l of lines.slice(1)) {
    const t = JSON.parse(l);
    if (t.design.dataflow === 'is') t.design.dataflow = '<img src=x onerror=alert(3)>';
    out.push(JSON.stringify(t));
  }
  writeFileSync(file, out.join('\n') + '\n');
  return run;
}

test('HTML report: hostile names show as text, only the five script elements of the page exist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-esc-'));
  try {
    const model = modelOf([hostileRun(dir)]);
    const html = renderHtml(model);
    assert.ok(html.includes('<h1 id="study-name">&lt;script&gt;alert(1)&lt;/script&gt;</h1>'));
    assert.equal(html.includes(EVIL), false, 'the raw study name never appears');
    assert.equal(html.includes('<img src=x'), false, 'the raw parameter value never appears');
    assert.equal(html.includes(EVIL_WORKLOAD), false);
    // The page's own scripts: figure JSON, plotly config, plotly bundle, boot code.
    assert.equal((html.match(/<script\b/gi) ?? []).length, 5);
    assert.equal((html.match(/<\/script>/gi) ?? []).length, 5);
    // The embedded figure JSON parses back, and hostile strings in it are inert plotly text.
    const json = /<script type="application\/json" id="report-figures">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const figures = JSON.parse(json) as Record<string, unknown>;
    assert.ok(Object.keys(figures).length >= 4);
    assert.equal(JSON.stringify(figures).includes('<img'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Markdown and notebook: hostile names are escaped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-esc-'));
  try {
    const model = modelOf([hostileRun(dir)]);
    const md = renderMarkdown(model);
    assert.ok(md.startsWith('# &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.equal(/<script|<img/i.test(md), false);
    const nb = JSON.parse(renderNotebook(model)) as { cells: { cell_type: string; source: string[]; outputs?: { data: Record<string, unknown> }[] }[] };
    for (const c of nb.cells) {
      // Markdown cells are rendered as HTML by Jupyter; code cell sources are shown as code.
      if (c.cell_type === 'markdown') assert.equal(/<script|<img/i.test(c.source.join('')), false, 'markdown cell');
      for (const o of c.outputs ?? []) {
        const html = ((o.data?.['text/html'] as string[] | undefined) ?? []).join('');
        assert.equal(/<script|<img/i.test(html), false, 'html output');
      }
    }
    assert.ok(nb.cells[0]!.source.join('').includes('&lt;script&gt;'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
