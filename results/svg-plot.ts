/**
 * Static SVG plots: self-contained (no script, no fonts to fetch), so they render on GitHub,
 * in a Markdown viewer and offline. Used for the Markdown report's figures and the search
 * benchmark's plots. One plot has a linear or log x and y axis, and series drawn as lines,
 * steps, points, bands (between y and y2) or whiskers (from y to y2); `svgBarChart` draws
 * grouped horizontal bars over categories. All text is escaped.
 */
import { escapeHtml as esc } from './report/escape.ts';

export interface SvgAxis {
  label: string;
  log?: boolean;
  /** Range; default from the data (a linear axis of non-negative data starts at zero when `zero`). */
  min?: number;
  max?: number;
  zero?: boolean;
  /** Ticks; default round values (1, 2, 5 x 10^k; decades on a log axis). */
  ticks?: { value: number; label: string }[];
}

export interface SvgSeries {
  name: string;
  color: string;
  kind: 'line' | 'step' | 'points' | 'band' | 'whiskers';
  x: number[];
  y: number[];
  /** Upper values of a band or whisker. */
  y2?: number[];
  dashed?: boolean;
  /** Marker radius (points) or line width. */
  size?: number;
  opacity?: number;
  symbol?: 'circle' | 'cross' | 'star';
  /** Shown in the legend (default true for line, step and points). */
  legend?: boolean;
}

export interface SvgPlotOptions {
  title: string;
  x: SvgAxis;
  y: SvgAxis;
  series: SvgSeries[];
  width?: number;
  height?: number;
  /** Dashed horizontal line, e.g. a target. */
  target?: { value: number; label: string };
  /** Small lines of text under the legend. */
  notes?: string[];
}

const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '0');

/** Short tick text: 3 significant digits, exponents outside 0.01..1e5. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-2) return v.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

function niceTicks(lo: number, hi: number, log: boolean): { value: number; label: string }[] {
  if (log) {
    const out: { value: number; label: string }[] = [];
    const decades = Math.log10(hi) - Math.log10(lo);
    const steps = decades < 1.5 ? [1, 2, 5] : [1];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of steps) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push({ value: v, label: tickLabel(v) });
      }
    }
    return out;
  }
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: { value: number; label: string }[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    const r = Number(v.toPrecision(12));
    out.push({ value: r, label: tickLabel(r) });
  }
  return out;
}

interface Scale {
  lo: number;
  hi: number;
  at(v: number): number;
  ticks: { value: number; label: string }[];
}

function scaleOf(axis: SvgAxis, values: number[], from: number, to: number): Scale {
  const vals = values.filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  let lo = axis.min ?? (vals.length ? Math.min(...vals) : 0);
  let hi = axis.max ?? (vals.length ? Math.max(...vals) : 1);
  if (!axis.log && axis.zero && axis.min === undefined && lo > 0) lo = 0;
  if (axis.log) {
    if (!(lo > 0)) lo = 1;
    if (hi <= lo) hi = lo * 10;
    // A little room beyond the extreme points.
    if (axis.min === undefined) lo /= 1.15;
    if (axis.max === undefined) hi *= 1.15;
  } else {
    if (hi === lo) hi = lo + (Math.abs(lo) || 1);
    const pad = (hi - lo) * 0.04;
    if (axis.min === undefined && !(axis.zero && lo === 0)) lo -= pad;
    if (axis.max === undefined) hi += pad;
  }
  const t = (v: number): number => (axis.log ? Math.log10(v) : v);
  const at = (v: number): number => from + ((t(axis.log ? Math.max(v, lo) : v) - t(lo)) / (t(hi) - t(lo))) * (to - from);
  return { lo, hi, at, ticks: axis.ticks ?? niceTicks(lo, hi, !!axis.log) };
}

function marker(symbol: SvgSeries['symbol'], x: number, y: number, r: number, color: string, opacity: number): string {
  if (symbol === 'cross') {
    return `<path d="M${f(x - r)},${f(y - r)}L${f(x + r)},${f(y + r)}M${f(x - r)},${f(y + r)}L${f(x + r)},${f(y - r)}" stroke="${color}" stroke-opacity="${opacity}" stroke-width="1.2"/>`;
  }
  if (symbol === 'star') {
    const pts = Array.from({ length: 10 }, (_, i) => {
      const a = (Math.PI / 5) * i - Math.PI / 2;
      const rr = i % 2 ? r * 0.45 : r;
      return `${f(x + rr * Math.cos(a))},${f(y + rr * Math.sin(a))}`;
    });
    return `<polygon points="${pts.join(' ')}" fill="${color}" fill-opacity="${opacity}" stroke="#333" stroke-width="0.8"/>`;
  }
  return `<circle cx="${f(x)}" cy="${f(y)}" r="${r}" fill="${color}" fill-opacity="${opacity}"/>`;
}

export function svgPlot(opts: SvgPlotOptions): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 440;
  const legendItems = opts.series.filter((s) => s.legend ?? ['line', 'step', 'points'].includes(s.kind));
  const m = { left: 70, right: legendItems.length || opts.notes ? 190 : 24, top: 40, bottom: 52 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const xs = scaleOf(opts.x, opts.series.flatMap((s) => s.x), m.left, m.left + pw);
  const ys = scaleOf(opts.y, [...opts.series.flatMap((s) => [...s.y, ...(s.y2 ?? [])]), ...(opts.target ? [opts.target.value] : [])], m.top + ph, m.top);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="${m.top - 16}" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);
  for (const t of ys.ticks) {
    const y = f(ys.at(t.value));
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${f(ys.at(t.value) + 4)}" text-anchor="end">${esc(t.label)}</text>`);
  }
  for (const t of xs.ticks) {
    const x = f(xs.at(t.value));
    out.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x}" y="${m.top + ph + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.x.label)}${opts.x.log ? ' (log scale)' : ''}</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(opts.y.label)}${opts.y.log ? ' (log scale)' : ''}</text>`);
  if (opts.target) {
    const ty = ys.at(opts.target.value);
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${f(ty)}" y2="${f(ty)}" stroke="#000" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${m.left + 4}" y="${f(ty - 4)}" font-size="11">${esc(opts.target.label)}</text>`);
  }
  const ok = (s: SvgSeries, i: number): boolean => Number.isFinite(s.x[i]!) && Number.isFinite(s.y[i]!) && (!opts.x.log || s.x[i]! > 0) && (!opts.y.log || s.y[i]! > 0);
  for (const s of opts.series) {
    const idx = s.x.map((_, i) => i).filter((i) => ok(s, i));
    const px = (i: number): string => f(xs.at(s.x[i]!));
    const py = (i: number, v = s.y[i]!): string => f(ys.at(v));
    const opacity = s.opacity ?? 1;
    if (s.kind === 'band' && s.y2) {
      const upper = idx.map((i) => `${px(i)},${py(i, s.y2![i]!)}`);
      const lower = idx.map((i) => `${px(i)},${py(i)}`).reverse();
      out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.color}" fill-opacity="${s.opacity ?? 0.15}" stroke="none"/>`);
    } else if (s.kind === 'whiskers' && s.y2) {
      for (const i of idx) out.push(`<line x1="${px(i)}" x2="${px(i)}" y1="${py(i)}" y2="${py(i, s.y2[i]!)}" stroke="${s.color}" stroke-opacity="${s.opacity ?? 0.7}"/>`);
    } else if (s.kind === 'line' || s.kind === 'step') {
      const pts: string[] = [];
      idx.forEach((i, k) => {
        if (s.kind === 'step' && k > 0) pts.push(`${px(i)},${py(idx[k - 1]!)}`);
        pts.push(`${px(i)},${py(i)}`);
      });
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="${s.size ?? 2}"${s.dashed ? ' stroke-dasharray="6 4"' : ''}${opacity < 1 ? ` stroke-opacity="${opacity}"` : ''}/>`);
    } else if (s.kind === 'points') {
      for (const i of idx) out.push(marker(s.symbol, xs.at(s.x[i]!), ys.at(s.y[i]!), s.size ?? 3.5, s.color, opacity));
    }
  }
  legendItems.forEach((s, k) => {
    const ly = m.top + 14 + k * 20;
    const lx = m.left + pw + 14;
    if (s.kind === 'points') out.push(marker(s.symbol, lx + 12, ly, 4.5, s.color, Math.max(0.6, s.opacity ?? 1)));
    else out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  const ny = m.top + 14 + legendItems.length * 20 + 6;
  (opts.notes ?? []).forEach((n, k) => out.push(`<text x="${m.left + pw + 14}" y="${ny + k * 14}" font-size="10" fill="#555">${esc(n)}</text>`));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export interface SvgBarOptions {
  title: string;
  /** Categories, top to bottom. */
  categories: string[];
  groups: { name: string; color: string; values: number[] }[];
  xLabel: string;
  /** Axis end (default the largest value). */
  max?: number;
  width?: number;
}

/** Grouped horizontal bars: one row per category, one bar per group, a legend of the groups. */
export function svgBarChart(opts: SvgBarOptions): string {
  const W = opts.width ?? 720;
  const row = Math.max(16, 8 * opts.groups.length + 8);
  const m = { left: 150, right: 170, top: 40, bottom: 52 };
  const ph = opts.categories.length * row;
  const H = m.top + ph + m.bottom;
  const pw = W - m.left - m.right;
  const max = opts.max ?? Math.max(1e-12, ...opts.groups.flatMap((g) => g.values));
  const x = (v: number): number => m.left + (Math.max(0, v) / max) * pw;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="${m.top - 16}" font-size="14" font-weight="bold">${esc(opts.title)}</text>`);
  for (const t of niceTicks(0, max, false)) {
    out.push(`<line x1="${f(x(t.value))}" x2="${f(x(t.value))}" y1="${m.top}" y2="${m.top + ph}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f(x(t.value))}" y="${m.top + ph + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  const bh = (row - 6) / opts.groups.length;
  opts.categories.forEach((c, ci) => {
    const y0 = m.top + ci * row + 3;
    out.push(`<text x="${m.left - 6}" y="${f(y0 + (row - 6) / 2 + 4)}" text-anchor="end">${esc(c)}</text>`);
    opts.groups.forEach((g, gi) => {
      const w = x(g.values[ci] ?? 0) - m.left;
      out.push(`<rect x="${m.left}" y="${f(y0 + gi * bh)}" width="${f(w)}" height="${f(Math.max(1, bh - 1))}" fill="${g.color}"/>`);
    });
  });
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  opts.groups.forEach((g, k) => {
    const ly = m.top + 14 + k * 20;
    out.push(`<rect x="${m.left + pw + 14}" y="${ly - 6}" width="14" height="12" fill="${g.color}"/>`);
    out.push(`<text x="${m.left + pw + 34}" y="${ly + 4}">${esc(g.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
