/**
 * The report as Markdown: the same sections, words and tables as the HTML page. Plots do not
 * exist in Markdown; each figure is named with a pointer to the HTML report, and the numbers
 * behind it are in the tables (front, convergence, anatomy, sensitivity).
 */
import { escapeMarkdown as md } from './escape.ts';
import type { ReportModel } from './model.ts';
import { buildSections, type Section } from './sections.ts';
import type { Table } from './tables.ts';

/** Rows beyond this are left out of a Markdown table (the HTML report has them all). */
const MAX_MD_ROWS = 2000;

export function renderMarkdown(model: ReportModel): string {
  const out: string[] = [`# ${md(model.title)}`, '', `Design-space exploration report, ${md(model.generatedBy)}.`, ''];
  for (const s of buildSections(model)) out.push(...renderSection(s), '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

function renderSection(s: Section): string[] {
  const out: string[] = [`## ${md(s.title)}`, ''];
  for (const p of s.paragraphs) out.push(md(p), '');
  if (s.facts.length) {
    for (const [k, v] of s.facts) out.push(`- **${md(k)}**: ${md(v)}`);
    out.push('');
  }
  for (const f of s.figures) out.push(`*Figure: ${md(f.caption)} (interactive in the HTML report).*`, '');
  for (const t of s.tables) {
    out.push(`**${md(t.caption)}**`, '', ...markdownTable(t.table), '');
  }
  return out;
}

export function markdownTable(t: Table): string[] {
  const lines = [
    '| ' + t.columns.map((c) => md(c.heading)).join(' | ') + ' |',
    '|' + t.columns.map((c) => (c.numeric ? '---:' : ':---')).join('|') + '|',
  ];
  for (const row of t.rows.slice(0, MAX_MD_ROWS)) lines.push('| ' + row.map((c) => md(c.text)).join(' | ') + ' |');
  if (t.rows.length > MAX_MD_ROWS) lines.push('', `(${t.rows.length - MAX_MD_ROWS} more rows in the HTML report)`);
  return lines;
}
