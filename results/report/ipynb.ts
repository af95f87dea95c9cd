/**
 * The report as a Jupyter notebook (nbformat 4.5) that runs: Markdown cells carry each
 * section's narrative; code cells (Python, results/report/notebook-code.ts) load the runs'
 * journal.jsonl and front.csv into pandas and rebuild the figures with plotly; their stored
 * outputs are the report's own figures and tables, so the notebook opens rendered without a
 * kernel, and Run All reproduces them (test/results/report/notebook-runs.test.ts executes it).
 * Figures only accel-dse can compute (the per-layer anatomy needs its cost model, the
 * convergence its exact hypervolume) and the tables are shown from the stored data.
 *
 * Safe by construction: the Python is constant text; everything that comes from the study
 * (names of the study, workloads, parameters, values) reaches a code cell only inside ONE
 * string literal, `REPORT = json.loads("...")`, written in printable ASCII with every quote,
 * backslash and other character escaped, so no name can end the literal, a comment or a line.
 * Markdown cells escape Markdown and HTML and show control characters (CR, LF, NUL, ANSI
 * escapes) as U+FFFD.
 */
import { relative, resolve } from 'node:path';
import { escapeHtml as h, escapeMarkdown as md } from './escape.ts';
import type { Figure } from './figures.ts';
import { colorChoicesOf } from './figures.ts';
import type { ReportModel } from './model.ts';
import { NOTEBOOK_CODE } from './notebook-code.ts';
import { buildSections, type Section, type SectionTable } from './sections.ts';
import { formatNumber } from './units.ts';

type Cell = Record<string, unknown>;
type Output = Record<string, unknown>;

export interface NotebookOptions {
  /** Directory the notebook is written to: run directories are named relative to it. Default: the working directory. */
  notebookDir?: string;
}

/** Section id -> the code cell that rebuilds its figures from the run files. */
const REBUILT: Record<string, keyof typeof NOTEBOOK_CODE> = { front: 'pareto', designs: 'parallel', drivers: 'importance', sensitivity: 'sensitivity' };

/** Jupyter stores source and text as lists of lines, each but the last ending in a newline. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? l + '\n' : l)).filter((l, i) => !(i === parts.length - 1 && l === ''));
}

/** Control characters (line breaks too, inside a name) as U+FFFD: inert in any cell or output. */
export function inertText(text: unknown): string {
  return String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\ufffd');
}

/**
 * A Python string literal whose value is `text`, in printable ASCII only: the JSON encoding of
 * a JSON string is a valid Python literal with the same value once every character outside
 * printable ASCII is a \\uXXXX escape (JSON.stringify already escapes quotes, backslashes and
 * control characters). Checked, so a change here cannot silently open a hole.
 */
export function pythonStringLiteral(text: string): string {
  const literal = JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (!/^"(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9a-f]{4})*"$/.test(literal)) throw new Error('pythonStringLiteral: not a plain ASCII string literal');
  return literal;
}

/** JSON text in printable ASCII (non-ASCII as \\u escapes, which JSON parsers read back, surrogate pairs included). */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function renderNotebook(model: ReportModel, opts: NotebookOptions = {}): string {
  const cells: Cell[] = [];
  let n = 0;
  const id = (): string => `cell-${n++}`;
  const markdownCell = (text: string): void => {
    cells.push({ cell_type: 'markdown', id: id(), metadata: {}, source: lines(text) });
  };
  const codeCell = (source: string, outputs: Output[], metadata: Record<string, unknown> = {}): void => {
    cells.push({ cell_type: 'code', id: id(), metadata, execution_count: null, source: lines(source), outputs });
  };
  const sections = buildSections(model);
  const stored = { tables: {} as Record<string, string>, figures: {} as Record<string, unknown> };

  markdownCell(
    `# ${md(inertText(model.title))}\n\nDesign-space exploration report, ${md(inertText(model.generatedBy))}. ` +
      'The outputs below are stored: the notebook reads without running. Run All re-reads the runs (journal.jsonl, front.csv, next to this notebook as when it was written) ' +
      'into pandas and rebuilds the figures with plotly; it needs `pip install pandas plotly` (scikit-learn optional).',
  );
  const dataCellAt = cells.length;
  codeCell(NOTEBOOK_CODE.helpers, []);
  codeCell(NOTEBOOK_CODE.load, [stream(summaryLine(model) + '\n')]);
  for (const s of sections) {
    markdownCell(sectionMarkdown(s));
    const rebuilt = REBUILT[s.id];
    if (rebuilt && s.figures.length) codeCell(NOTEBOOK_CODE[rebuilt], s.figures.map(figureOutput));
    else {
      for (const f of s.figures) {
        stored.figures[f.id] = { data: f.data, layout: f.layout };
        codeCell(`# ${figureComment(s)}\nshow_stored_figure(${pythonStringLiteral(checkedId(f.id))})`, [figureOutput(f)]);
      }
    }
    for (const t of s.tables) {
      stored.tables[t.id] = tableHtml(t);
      codeCell(`show_table(${pythonStringLiteral(checkedId(t.id))})`, [htmlOutput(stored.tables[t.id]!)]);
    }
    // The rules refitted with scikit-learn: its output depends on the reader's scikit-learn, so none is stored.
    if (s.id === 'drivers' && model.drivers) codeCell(NOTEBOOK_CODE.sklearn, [], { accel_dse: { reproducible: false } });
  }
  const data = notebookData(model, opts, stored);
  cells.splice(dataCellAt, 0, {
    cell_type: 'code',
    id: 'report-data',
    metadata: { jupyter: { source_hidden: true } },
    execution_count: null,
    source: lines(
      '# The data of this report: the run directories (relative to this notebook), the objectives and\n' +
        '# how they are shown, the samples dse report drew, its design rules and importance, its tables\n' +
        '# and the figures only accel-dse computes. One JSON string: names in it are data, never code.\n' +
        `import json\nREPORT = json.loads(${pythonStringLiteral(asciiJson(data))})`,
    ),
    outputs: [],
  });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
      title: inertText(model.title),
    },
    cells,
  };
  return JSON.stringify(notebook, null, 1) + '\n';
}

function checkedId(id: string): string {
  // Ids are the report's own (`front-table`, `anatomy-0`), never user text; keep it that way.
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`notebook: unexpected figure or table id ${JSON.stringify(id)}`);
  return id;
}

function figureComment(s: Section): string {
  return s.id === 'anatomy'
    ? 'Per-layer anatomy as dse report computed it (it needs accel-dse\'s cost model: dse report --design ID redraws it for another design).'
    : 'As dse report computed it (the hypervolume is accel-dse\'s exact algorithm).';
}

/** The first line the load cell prints: trials by status, runs, front size. */
export function summaryLine(model: ReportModel): string {
  const sum = (f: (r: ReportModel['runs'][number]) => number): number => model.runs.reduce((a, r) => a + f(r), 0);
  const runs = model.runs.length;
  return `${formatNumber(model.totalTrials)} trials (${formatNumber(sum((r) => r.ok))} ok, ${formatNumber(sum((r) => r.infeasible))} infeasible, ${formatNumber(sum((r) => r.failed))} failed) in ${runs} run${runs > 1 ? 's' : ''}; ${formatNumber(model.front.length)} designs on the front`;
}

function notebookData(model: ReportModel, opts: NotebookOptions, stored: { tables: Record<string, string>; figures: Record<string, unknown> }): Record<string, unknown> {
  const base = resolve(opts.notebookDir ?? '.');
  const domains: Record<string, unknown> = {};
  // Domain order of values, for the sensitivity boxes (from the first run's study).
  for (const sp of model.study.space) domains[sp.name] = sp.values ?? null;
  return {
    runs: model.runs.map((r) => relative(base, resolve(r.dir)).split('\\').join('/') || '.'),
    runLabels: model.runs.map((r) => r.label),
    objectives: model.objectives,
    parameters: model.parameters,
    domains,
    colorBy: colorChoicesOf(model).some((c) => c.parameter === model.drivers?.colorBy) ? model.drivers!.colorBy : null,
    cloud: model.cloud.map((c) => [c.run, c.seq]),
    sample: model.sensitivity?.sampleKeys ?? [],
    drivers: model.drivers,
    runFrontsKeepTies: model.runFrontsKeepTies,
    tables: stored.tables,
    figures: stored.figures,
  };
}

function stream(text: string): Output {
  return { output_type: 'stream', name: 'stdout', text: lines(text) };
}

function figureOutput(f: Figure): Output {
  return { output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': { data: f.data, layout: f.layout, config: { displaylogo: false, responsive: true } } }, metadata: {} };
}

function htmlOutput(html: string): Output {
  return { output_type: 'display_data', data: { 'text/html': lines(html), 'text/plain': ['<IPython.core.display.HTML object>'] }, metadata: {} };
}

function sectionMarkdown(s: Section): string {
  const out = [`## ${md(inertText(s.title))}`, '', ...s.paragraphs.flatMap((p) => [md(inertText(p)), ''])];
  for (const [k, v] of s.facts) out.push(`- **${md(inertText(k))}**: ${md(inertText(v))}`);
  return out.join('\n').trimEnd();
}

function tableHtml(t: SectionTable): string {
  const head = t.table.columns.map((c) => `<th style="text-align:${c.numeric ? 'right' : 'left'}">${h(inertText(c.heading))}</th>`).join('');
  const rows = t.table.rows.map(
    (r) => '<tr>' + r.map((c, i) => `<td style="text-align:${t.table.columns[i]?.numeric ? 'right' : 'left'}">${h(inertText(c.text))}</td>`).join('') + '</tr>',
  );
  return `<p><b>${h(inertText(t.caption))}</b></p>\n<table id="${h(t.id)}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}
