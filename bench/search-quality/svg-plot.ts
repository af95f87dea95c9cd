import type { Cell } from './experiment.ts';

/**
 * Hypervolume ratio against evaluations, one line per searcher (median over seeds) with its
 * interquartile band and min-max whiskers; evaluations on a log axis. A self-contained SVG
 * (no script, no fonts to fetch), so it renders on GitHub and offline.
 */

const COLORS: Record<string, string> = {
  random: '#7f7f7f',
  nsga2: '#1f77b4',
  marl: '#d62728',
  surrogate: '#2ca02c',
};
const FALLBACK = ['#9467bd', '#8c564b', '#e377c2', '#17becf'];

export interface PlotOptions {
  title: string;
  /** Dashed horizontal line (a target), if any. */
  target?: { value: number; label: string };
  width?: number;
  height?: number;
}

export function hvRatioPlotSvg(cells: readonly Cell[], opts: PlotOptions): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 440;
  const m = { left: 64, right: 150, top: 40, bottom: 52 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const algorithms = [...new Set(cells.map((c) => c.algorithm))];
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
  const lowest = Math.min(...cells.map((c) => c.hvRatio.min), opts.target?.value ?? 1);
  // Y from a round value below the lowest run to 1 (the whole front).
  const yMin = Math.max(0, Math.floor(lowest * 10) / 10);
  const yMax = 1;
  const xLo = Math.log10(budgets[0]!) - 0.08;
  const xHi = Math.log10(budgets[budgets.length - 1]!) + 0.08;
  // Searchers are drawn slightly apart at each budget so their whiskers do not overlap.
  const offset = (k: number): number => (k - (algorithms.length - 1) / 2) * 0.012;
  const x = (budget: number, k = -1): number => m.left + ((Math.log10(budget) + (k >= 0 ? offset(k) : 0) - xLo) / (xHi - xLo)) * pw;
  const y = (v: number): number => m.top + (1 - (Math.max(yMin, v) - yMin) / (yMax - yMin)) * ph;
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="${m.top - 16}" font-size="14" font-weight="bold">${escapeXml(opts.title)}</text>`);
  // Grid and axes.
  const step = yMax - yMin > 0.5 ? 0.1 : yMax - yMin > 0.2 ? 0.05 : 0.02;
  for (let v = yMin; v <= yMax + 1e-9; v += step) {
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  for (const b of budgets) {
    out.push(`<line x1="${f(x(b))}" x2="${f(x(b))}" y1="${m.top}" y2="${m.top + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${f(x(b))}" y="${m.top + ph + 16}" text-anchor="middle">${b.toLocaleString('en-US')}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">evaluations (log scale; each budget is its own run)</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">hypervolume ratio (found / true front)</text>`);
  if (opts.target) {
    const ty = f(y(opts.target.value));
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${ty}" y2="${ty}" stroke="#000" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${m.left + 4}" y="${f(y(opts.target.value) - 4)}" font-size="11">${escapeXml(opts.target.label)}</text>`);
  }
  algorithms.forEach((alg, k) => {
    const color = COLORS[alg] ?? FALLBACK[k % FALLBACK.length]!;
    const mine = budgets.map((b) => cells.find((c) => c.algorithm === alg && c.budget === b)).filter((c) => c !== undefined);
    // Interquartile band.
    const upper = mine.map((c) => `${f(x(c.budget, k))},${f(y(c.hvRatio.q3))}`);
    const lower = mine.map((c) => `${f(x(c.budget, k))},${f(y(c.hvRatio.q1))}`).reverse();
    out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    for (const c of mine) {
      const cx = f(x(c.budget, k));
      out.push(`<line x1="${cx}" x2="${cx}" y1="${f(y(c.hvRatio.min))}" y2="${f(y(c.hvRatio.max))}" stroke="${color}" stroke-opacity="0.7"/>`);
    }
    out.push(`<polyline points="${mine.map((c) => `${f(x(c.budget, k))},${f(y(c.hvRatio.median))}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const c of mine) out.push(`<circle cx="${f(x(c.budget, k))}" cy="${f(y(c.hvRatio.median))}" r="3.5" fill="${color}"/>`);
    const ly = m.top + 14 + k * 20;
    out.push(`<line x1="${m.left + pw + 14}" x2="${m.left + pw + 38}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${m.left + pw + 44}" y="${ly + 4}">${escapeXml(alg)}</text>`);
  });
  const ny = m.top + 14 + algorithms.length * 20 + 6;
  out.push(`<text x="${m.left + pw + 14}" y="${ny}" font-size="10" fill="#555">line: median</text>`);
  out.push(`<text x="${m.left + pw + 14}" y="${ny + 14}" font-size="10" fill="#555">band: quartiles</text>`);
  out.push(`<text x="${m.left + pw + 14}" y="${ny + 28}" font-size="10" fill="#555">whisker: min to max</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
