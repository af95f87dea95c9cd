import { svgPlot, type SvgSeries } from '../../results/svg-plot.ts';
import type { Cell } from './experiment.ts';

/**
 * Hypervolume ratio against evaluations, one line per searcher (median over seeds) with its
 * interquartile band and min-max whiskers; evaluations on a log axis. Drawn by the project's
 * static SVG plot (results/svg-plot.ts, also used by the Markdown report).
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
  const algorithms = [...new Set(cells.map((c) => c.algorithm))];
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
  const lowest = Math.min(...cells.map((c) => c.hvRatio.min), opts.target?.value ?? 1);
  // Y from a round value below the lowest run to 1 (the whole front).
  const yMin = Math.max(0, Math.floor(lowest * 10) / 10);
  // Searchers are drawn slightly apart at each budget (a factor on the log axis) so their whiskers do not overlap.
  const shift = (k: number): number => 10 ** ((k - (algorithms.length - 1) / 2) * 0.012);
  const series: SvgSeries[] = [];
  algorithms.forEach((alg, k) => {
    const color = COLORS[alg] ?? FALLBACK[k % FALLBACK.length]!;
    const mine = budgets.map((b) => cells.find((c) => c.algorithm === alg && c.budget === b)).filter((c) => c !== undefined);
    const x = mine.map((c) => c.budget * shift(k));
    series.push({ name: `${alg} quartiles`, color, kind: 'band', x, y: mine.map((c) => c.hvRatio.q1), y2: mine.map((c) => c.hvRatio.q3), opacity: 0.15 });
    series.push({ name: `${alg} range`, color, kind: 'whiskers', x, y: mine.map((c) => c.hvRatio.min), y2: mine.map((c) => c.hvRatio.max), opacity: 0.7 });
    series.push({ name: alg, color, kind: 'line', x, y: mine.map((c) => c.hvRatio.median) });
    series.push({ name: `${alg} median`, color, kind: 'points', x, y: mine.map((c) => c.hvRatio.median), legend: false });
  });
  return svgPlot({
    title: opts.title,
    ...(opts.width !== undefined ? { width: opts.width } : {}),
    ...(opts.height !== undefined ? { height: opts.height } : {}),
    x: {
      label: 'evaluations (each budget is its own run)',
      log: true,
      min: budgets[0]! / 10 ** 0.08,
      max: budgets[budgets.length - 1]! * 10 ** 0.08,
      ticks: budgets.map((b) => ({ value: b, label: b.toLocaleString('en-US') })),
    },
    y: { label: 'hypervolume ratio (found / true front)', min: yMin, max: 1 },
    series,
    ...(opts.target ? { target: opts.target } : {}),
    notes: ['line: median', 'band: quartiles', 'whisker: min to max'],
  });
}
