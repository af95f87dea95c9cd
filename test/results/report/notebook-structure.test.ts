import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNotebook } from '../../../results/report/ipynb.ts';
import { modelOf } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

/**
 * Structural checks written from the nbformat 4 JSON schema (jupyter/nbformat,
 * nbformat/v4/nbformat.v4.5.schema.json): top-level required keys; each cell's required keys by
 * cell_type with no extra keys; multiline strings as a string or a list of strings; cell ids
 * matching ^[a-zA-Z0-9-_]+$ (1-64 chars, unique, required from minor 5); display_data outputs
 * with data (mime bundle) and metadata; execution_count an integer or null.
 */
type Json = Record<string, unknown>;

function isMultiline(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function checkKeys(obj: Json, required: string[], allowed: string[], where: string): void {
  for (const k of required) assert.ok(k in obj, `${where}: missing ${k}`);
  for (const k of Object.keys(obj)) assert.ok(allowed.includes(k), `${where}: unexpected key ${k}`);
}

function checkMimeBundle(data: Json, where: string): void {
  assert.ok(Object.keys(data).length > 0, `${where}: empty mime bundle`);
  for (const [mime, v] of Object.entries(data)) {
    assert.match(mime, /^[a-z]+\/[-+.a-z0-9]+$/, `${where}: mime type ${mime}`);
    // JSON mime types hold JSON values; text ones a multiline string.
    if (!/json$/.test(mime)) assert.ok(isMultiline(v), `${where}: ${mime} must be a string or list of strings`);
    else assert.equal(typeof v, 'object', `${where}: ${mime} must be a JSON object`);
  }
}

function checkNotebook(nb: Json): void {
  checkKeys(nb, ['nbformat', 'nbformat_minor', 'metadata', 'cells'], ['nbformat', 'nbformat_minor', 'metadata', 'cells'], 'notebook');
  assert.equal(nb.nbformat, 4);
  assert.ok(Number.isInteger(nb.nbformat_minor) && (nb.nbformat_minor as number) >= 0);
  assert.equal(typeof nb.metadata, 'object');
  const meta = nb.metadata as Json;
  if (meta.kernelspec) checkKeys(meta.kernelspec as Json, ['name', 'display_name'], ['name', 'display_name', 'language'], 'kernelspec');
  if (meta.language_info) assert.equal(typeof (meta.language_info as Json).name, 'string');
  assert.ok(Array.isArray(nb.cells));
  const ids = new Set<string>();
  (nb.cells as Json[]).forEach((cell, i) => {
    const where = `cells[${i}]`;
    if ((nb.nbformat_minor as number) >= 5) {
      assert.match(String(cell.id), /^[a-zA-Z0-9-_]{1,64}$/, `${where}: id`);
      assert.ok(!ids.has(cell.id as string), `${where}: duplicate id`);
      ids.add(cell.id as string);
    }
    assert.ok(isMultiline(cell.source), `${where}: source`);
    assert.equal(typeof cell.metadata, 'object', `${where}: metadata`);
    if (cell.cell_type === 'markdown') {
      checkKeys(cell, ['cell_type', 'metadata', 'source'], ['id', 'cell_type', 'metadata', 'source', 'attachments'], where);
    } else if (cell.cell_type === 'code') {
      checkKeys(cell, ['cell_type', 'metadata', 'source', 'outputs', 'execution_count'], ['id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count'], where);
      assert.ok(cell.execution_count === null || Number.isInteger(cell.execution_count), `${where}: execution_count`);
      assert.ok(Array.isArray(cell.outputs), `${where}: outputs`);
      (cell.outputs as Json[]).forEach((o, j) => {
        const w = `${where}.outputs[${j}]`;
        assert.ok(['display_data', 'execute_result', 'stream', 'error'].includes(o.output_type as string), `${w}: output_type`);
        if (o.output_type === 'stream') {
          checkKeys(o, ['output_type', 'name', 'text'], ['output_type', 'name', 'text'], w);
          assert.ok(isMultiline(o.text), `${w}: text`);
        }
        if (o.output_type === 'display_data') {
          checkKeys(o, ['output_type', 'data', 'metadata'], ['output_type', 'data', 'metadata', 'transient'], w);
          checkMimeBundle(o.data as Json, w);
          assert.equal(typeof o.metadata, 'object');
        }
      });
    } else {
      assert.equal(cell.cell_type, 'raw', `${where}: cell_type`);
    }
  });
}

test('the notebook is valid nbformat 4 and carries plotly figures and HTML tables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-nb-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 200, seed: 9 });
    const text = renderNotebook(modelOf([run]));
    const nb = JSON.parse(text) as Json;
    checkNotebook(nb);
    const cells = nb.cells as Json[];
    const outputs = cells.flatMap((c) => (c.outputs as Json[] | undefined) ?? []).filter((o) => o.output_type === 'display_data').map((o) => o.data as Json);
    const figures = outputs.filter((d) => 'application/vnd.plotly.v1+json' in d);
    // Three objectives: three pairs and a 3-D view, parallel coordinates, convergence, one sensitivity figure per objective.
    assert.ok(figures.length >= 3 + 1 + 1 + 1 + 3, `${figures.length} figures`);
    for (const f of figures) {
      const fig = f['application/vnd.plotly.v1+json'] as Json;
      assert.ok(Array.isArray(fig.data) && (fig.data as unknown[]).length > 0);
      assert.equal(typeof fig.layout, 'object');

    }
    assert.ok(outputs.some((d) => ((d['text/html'] as string[] | undefined) ?? []).join('').includes('id="front-table"')));
    // Markdown narrative: one cell per section, titles in order.
    const titles = cells.filter((c) => c.cell_type === 'markdown').map((c) => (c.source as string[])[0]);
    assert.deepEqual(titles.slice(1).map((t) => t!.trim()), ['## 1. The study', '## 2. The Pareto front', "## 3. The front's designs", '## 4. What drives the front', '## 5. Convergence', '## 6. Anatomy of a design', '## 7. Sensitivity']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
