import { escapeControls } from '../core/inert-text.ts';
import { naturalValues, senseSentence } from './objective-sense.ts';
import type { CheckResult } from './baseline.ts';

/**
 * Text and numbers inside Markdown tables (summary.md, the `dse check` table). User-supplied
 * names may hold `|`, backticks, `<` or line breaks; they must not break the table or inject HTML.
 */
export function mdCell(text: unknown): string {
  return escapeControls(String(text).replace(/\r?\n|\r/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/** A number with 4 significant digits, plain where that reads well, else in exponent form. */
export function fmtNum(x: number | undefined | null): string {
  if (x === undefined || x === null) return '';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(4)));
  return x.toExponential(3).replace(/\.?0+e/, 'e');
}

/** A Markdown table from a header row and rows of already-escaped cells. */
export function mdTable(columns: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/**
 * The `dse check` report as Markdown: a verdict line, a table of indicators (baseline, current,
 * tolerance, status), then what regressed or improved. Printed to stdout and appended to
 * $GITHUB_STEP_SUMMARY in GitHub Actions.
 */
export function checkMarkdown(r: CheckResult, opts: { title?: string } = {}): string {
  const out: string[] = [];
  const pass = r.verdict === 'pass';
  out.push(`### ${mdCell(opts.title ?? 'Pareto front check')}: ${pass ? 'pass' : 'REGRESSION'}\n`);
  const rows: string[][] = [];
  const hv = r.hypervolume;
  for (const s of hv.perSeed) {
    const label = Number.isNaN(s.seed) ? 'hypervolume (median over seeds)' : `hypervolume, seed ${s.seed}`;
    rows.push([label, fmtNum(s.baselineHv), fmtNum(s.currentHv), `ratio ${fmtPct(s.ratio)}`, '', '']);
  }
  const hvOk = hv.medianRatio >= 1 - r.tolerances.hvTolerance - 1e-12;
  rows.push([
    hv.perSeed.length > 1 ? 'hypervolume ratio, median' : 'hypervolume ratio',
    '100%',
    fmtPct(hv.medianRatio),
    fmtSigned(hv.medianRatio - 1, true),
    `>= ${fmtPct(1 - r.tolerances.hvTolerance)}`,
    hvOk ? 'ok' : '**regressed**',
  ]);
  const epsOk = r.additiveEpsilon <= r.tolerances.epsTolerance + 1e-12;
  rows.push(['additive epsilon, current to baseline', '0', fmtNum(r.additiveEpsilon), '', `<= ${fmtNum(r.tolerances.epsTolerance)}`, epsOk ? 'ok' : '**regressed**']);
  rows.push(['additive epsilon, baseline to current', '0', fmtNum(r.additiveEpsilonReverse), r.additiveEpsilonReverse > 0 ? 'new ground' : '', '', 'info']);
  rows.push(['IGD+ (baseline points to current front)', '0', fmtNum(r.igdPlus), '', '', 'info']);
  rows.push(['front size', String(r.counts.baselinePoints), String(r.counts.currentPoints), fmtSigned(r.counts.currentPoints - r.counts.baselinePoints, false), '', 'info']);
  rows.push(['baseline points no longer reached', '0', String(r.lostPoints.length), '', '', r.lostPoints.length === 0 ? 'ok' : epsOk ? 'within tolerance' : '**regressed**']);
  rows.push(['new points dominating baseline points', '', String(r.improvements.length), '', '', 'info']);
  out.push(mdTable(['indicator', 'baseline', 'current', 'change', 'tolerance', 'status'], rows));
  out.push(`Indicators are in the baseline's normalised units (each objective's baseline range is 1). ${senseSentence(r.objectives, r.maximize, mdCell)}\n`);

  if (r.reasons.length > 0) out.push(['**Regressed:**', ...r.reasons.map((x) => `- ${mdCell(x)}`)].join('\n') + '\n');
  if (r.notes.length > 0) out.push(['Notes:', ...r.notes.map((x) => `- ${mdCell(x)}`)].join('\n') + '\n');

  if (r.lostPoints.length > 0) {
    const shown = r.lostPoints.slice(0, MAX_LISTED);
    out.push(`<details><summary>Baseline points no longer reached (${r.lostPoints.length})</summary>\n`);
    out.push(
      mdTable(
        ['hash', ...r.objectives.map(mdCell), 'short by', 'mostly in'],
        shown.map((p) => [`\`${mdCell(p.hash)}\``, ...naturalValues(p.objectives, r.objectives, r.maximize).map(fmtNum), fmtNum(p.shortfall), mdCell(p.worstObjective)]),
      ),
    );
    if (r.lostPoints.length > shown.length) out.push(`(${r.lostPoints.length - shown.length} more not shown)\n`);
    out.push('</details>\n');
  }
  if (r.improvements.length > 0) {
    const shown = r.improvements.slice(0, MAX_LISTED);
    out.push(`<details><summary>New points that dominate baseline points (${r.improvements.length})</summary>\n`);
    out.push(mdTable(['hash', ...r.objectives.map(mdCell)], shown.map((p) => [`\`${mdCell(p.hash)}\``, ...naturalValues(p.objectives, r.objectives, r.maximize).map(fmtNum)])));
    if (r.improvements.length > shown.length) out.push(`(${r.improvements.length - shown.length} more not shown)\n`);
    out.push('</details>\n');
  }
  return out.join('\n');
}

/** Points listed in the collapsible sections; a CI summary is not the place for thousands. */
const MAX_LISTED = 20;

function fmtPct(x: number): string {
  return Number.isFinite(x) ? `${Number((x * 100).toPrecision(5))}%` : String(x);
}

function fmtSigned(x: number, percent: boolean): string {
  if (!Number.isFinite(x)) return String(x);
  const s = percent ? fmtPct(x) : String(x);
  return x > 0 ? `+${s}` : s;
}
