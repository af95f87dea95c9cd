/**
 * The report as Markdown: the same sections, words and tables as the HTML page. The Pareto
 * plots, the convergence and the importance are static SVGs (results/report/markdown-figures.ts)
 * written into a folder next to the Markdown file and linked from it; other figures are named
 * with a pointer to the HTML report, and the numbers behind them are in the tables.
 */
import { escapeMarkdown as md } from './escape.ts';
import type { ReportModel } from './model.ts';
import { problemSections, type Section } from './sections.ts';
import type { Table } from './tables.ts';
import type { MarkdownFigure } from './markdown-figures.ts';

/** Rows beyond this are left out of a Markdown table (the HTML report has them all). */
const MAX_MD_ROWS = 2000;

export interface MarkdownOptions {
  /** Folder (relative to the Markdown file) the figure SVGs are written to; without it, figures are only named. */
  figureDir?: string;
  /** The SVGs to link, by figure id (from markdownFigures). */
  figures?: MarkdownFigure[];
}

/** One problem's runs, or several problems (a part per problem, see problemSections; figure ids carry the same prefixes). */
export function renderMarkdown(modelOrModels: ReportModel | ReportModel[], opts: MarkdownOptions = {}): string {
  const models = Array.isArray(modelOrModels) ? modelOrModels : [modelOrModels];
  const title = models.map((m) => m.title).join(' · ');
  const out: string[] = [`# ${md(title)}`, '', `Design-space exploration report, ${md(models[0]!.generatedBy)}.`, ''];
  if (models.length > 1) out.push(`These runs solve ${models.length} different problems: each has its own part below (a front only compares runs of one problem).`, '');
  const links = new Map<string, string>();
  if (opts.figureDir !== undefined) {
    for (const f of opts.figures ?? []) links.set(f.figureId, [...opts.figureDir.split('/'), f.file].map(encodeURIComponent).join('/'));
  }
  for (const { section } of problemSections(models)) out.push(...renderSection(section, links), '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

function renderSection(s: Section, links: Map<string, string>): string[] {
  const out: string[] = [`## ${md(s.title)}`, ''];
  for (const p of s.paragraphs) out.push(md(p), '');
  if (s.facts.length) {
    for (const [k, v] of s.facts) out.push(`- **${md(k)}**: ${md(v)}`);
    out.push('');
  }
  for (const f of s.figures) {
    const link = links.get(f.id);
    out.push(link ? `![${md(f.caption)}](${link})` : `*Figure: ${md(f.caption)} (interactive in the HTML report).*`, '');
  }
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
