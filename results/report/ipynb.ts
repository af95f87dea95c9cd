/**
 * The report as a Jupyter notebook (nbformat 4.5): a Markdown cell per section for the
 * narrative, and code cells whose stored outputs hold the figures (plotly's
 * `application/vnd.plotly.v1+json`, drawn by VS Code and by JupyterLab with the plotly
 * renderer) and the tables (`text/html`, with a `text/plain` fallback). Nothing needs to run:
 * the notebook opens rendered, with or without a kernel.
 */
import { escapeHtml as h } from './escape.ts';
import type { Figure } from './figures.ts';
import { markdownTable } from './markdown.ts';
import { escapeMarkdown as md } from './escape.ts';
import type { ReportModel } from './model.ts';
import { buildSections, type Section, type SectionTable } from './sections.ts';

type Cell = Record<string, unknown>;

/** Jupyter stores source and text as lists of lines, each but the last ending in a newline. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? l + '\n' : l)).filter((l, i) => !(i === parts.length - 1 && l === ''));
}

export function renderNotebook(model: ReportModel): string {
  const cells: Cell[] = [];
  let n = 0;
  const id = (): string => `cell-${n++}`;
  const markdownCell = (text: string): void => {
    cells.push({ cell_type: 'markdown', id: id(), metadata: {}, source: lines(text) });
  };
  const outputCell = (comment: string, data: Record<string, unknown>): void => {
    cells.push({
      cell_type: 'code',
      id: id(),
      metadata: { collapsed: false, jupyter: { source_hidden: true } },
      execution_count: null,
      source: lines(comment),
      outputs: [{ output_type: 'display_data', data, metadata: {} }],
    });
  };

  markdownCell(`# ${md(model.title)}\n\nDesign-space exploration report, ${md(model.generatedBy)}. The figures and tables are stored outputs: nothing needs to run.`);
  for (const s of buildSections(model)) {
    markdownCell(sectionMarkdown(s));
    for (const f of s.figures) outputCell(`# Figure: ${f.caption.replace(/\n/g, ' ')}\n# (stored output of \`dse report\`; plotly figure JSON)`, figureData(f));
    for (const t of s.tables) outputCell(`# Table: ${t.caption.replace(/\n/g, ' ')}\n# (stored output of \`dse report\`)`, tableData(t));
  }
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
      title: model.title,
    },
    cells,
  };
  return JSON.stringify(notebook, null, 1) + '\n';
}

function sectionMarkdown(s: Section): string {
  const out = [`## ${md(s.title)}`, '', ...s.paragraphs.flatMap((p) => [md(p), ''])];
  for (const [k, v] of s.facts) out.push(`- **${md(k)}**: ${md(v)}`);
  return out.join('\n').trimEnd();
}

function figureData(f: Figure): Record<string, unknown> {
  return {
    'application/vnd.plotly.v1+json': { data: f.data, layout: f.layout, config: { displaylogo: false, responsive: true } },
    'text/plain': lines(`Figure: ${f.caption} (needs a plotly renderer: VS Code, or JupyterLab with the plotly package)`),
  };
}

function tableData(t: SectionTable): Record<string, unknown> {
  const head = t.table.columns.map((c) => `<th style="text-align:${c.numeric ? 'right' : 'left'}">${h(c.heading)}</th>`).join('');
  const rows = t.table.rows.map(
    (r) => '<tr>' + r.map((c, i) => `<td style="text-align:${t.table.columns[i]?.numeric ? 'right' : 'left'}">${h(c.text)}</td>`).join('') + '</tr>',
  );
  const html = `<table id="${h(t.id)}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
  return { 'text/html': lines(html), 'text/plain': lines(markdownTable(t.table).join('\n')) };
}
