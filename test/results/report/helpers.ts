/** Shared helpers of the report tests: build a model from run dirs, pull tables out of each format. */
import { buildReportModel, combineRuns, type BuildOptions } from '../../../results/report/build-model.ts';
import type { ReportModel } from '../../../results/report/model.ts';
import { scanRun, type ScanOptions } from '../../../results/report/run-scan.ts';

export function modelOf(dirs: string[], opts: BuildOptions = {}, scan: ScanOptions = {}): ReportModel {
  const scans = dirs.map((d, i) => scanRun(d, i, scan));
  return buildReportModel(scans, combineRuns(scans), opts);
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
}

/** Rows (header first) of the HTML table with this id, cell text unescaped. */
export function htmlTable(html: string, id: string): string[][] {
  const start = html.indexOf(`<table id="${id}"`);
  if (start < 0) throw new Error(`no table ${id}`);
  const end = html.indexOf('</table>', start);
  const body = html.slice(start, end);
  const rows: string[][] = [];
  for (const tr of body.match(/<tr[^>]*>[\s\S]*?<\/tr>/g) ?? []) {
    rows.push([...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => unescapeHtml(m[1]!)));
  }
  return rows;
}

/** Rows (header first) of the Markdown pipe table under the bold caption. */
export function markdownTableAfter(md: string, caption: string): string[][] {
  const lines = md.split('\n');
  const at = lines.findIndex((l) => l === `**${caption}**`);
  if (at < 0) throw new Error(`no caption ${caption}`);
  const rows: string[][] = [];
  for (let i = at + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    if (/^\|[-:|]+\|$/.test(lines[i]!)) continue;
    // Split on unescaped pipes, then drop Markdown escapes and entities.
    const cells = lines[i]!.slice(2, -2).split(/(?<!\\) \| /);
    rows.push(cells.map((c) => unescapeHtml(c.replace(/\\(.)/g, '$1'))));
  }
  return rows;
}
