/**
 * The Markdown report's figures: static SVGs (results/svg-plot.ts) of the Pareto plots, the
 * convergence and the parameter importance, written next to the Markdown file and linked
 * from it. They show the same data as the HTML figures of the same ids: front designs coloured
 * by the same parameter, the knee, the sampled cloud, log axes where values span more than 10x.
 */
import { svgBarChart, svgPlot, type SvgSeries } from '../svg-plot.ts';
import { CATEGORY_COLORS, colorChoicesOf, spansDecade } from './figures.ts';
import type { ReportModel } from './model.ts';
import { formatNumber, headingOf, shown } from './units.ts';
import { nonDominatedIndices } from '../dominance.ts';

export interface MarkdownFigure {
  /** The id of the HTML figure it stands for. */
  figureId: string;
  /** File name (safe on any file system), relative to the figures folder. */
  file: string;
  svg: string;
}

const RUN_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];

function safeFileName(id: string, taken: Set<string>): string {
  const base = id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'figure';
  let name = `${base}.svg`;
  for (let k = 2; taken.has(name); k++) name = `${base}-${k}.svg`;
  taken.add(name);
  return name;
}

/** The SVG figures of one or more problems (ids prefixed `p1-`... as problemSections does when there are several). */
export function markdownFigures(modelOrModels: ReportModel | ReportModel[]): MarkdownFigure[] {
  const models = Array.isArray(modelOrModels) ? modelOrModels : [modelOrModels];
  const taken = new Set<string>();
  return models.flatMap((m, k) => figuresOf(m, models.length > 1 ? `p${k + 1}-` : '', taken));
}

function figuresOf(model: ReportModel, prefix: string, taken: Set<string>): MarkdownFigure[] {
  const out: MarkdownFigure[] = [];
  const add = (id: string, svg: string): void => void out.push({ figureId: prefix + id, file: safeFileName(prefix + id, taken), svg });
  const k = model.objectives.length;
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) add(`pareto-${model.objectives[i]!.name}-${model.objectives[j]!.name}`, paretoSvg(model, i, j));
  const conv = model.convergence;
  if (conv && conv.series.length) {
    const series: SvgSeries[] = conv.series.map((s, r) => ({ name: s.label, color: RUN_COLORS[r % RUN_COLORS.length]!, kind: 'step', x: s.evaluations, y: s.hypervolume }));
    add('convergence', svgPlot({
      title: 'Hypervolume of the front against evaluations',
      x: { label: 'evaluations', zero: true },
      y: { label: 'hypervolume (normalised objectives)', zero: true },
      series,
      ...(conv.referenceHypervolume !== null ? { target: { value: conv.referenceHypervolume, label: 'reference front' } } : {}),
    }));
  }
  const d = model.drivers;
  if (d && d.importance.length) {
    const sum = (i: number): number => d.importance.reduce((a, imp) => a + imp.values[i]!, 0);
    const order = d.parameters.map((_, i) => i).sort((a, b) => sum(b) - sum(a));
    add('importance', svgBarChart({
      title: 'Parameter importance per objective',
      categories: order.map((i) => d.parameters[i]!),
      groups: d.importance.map((imp, oi) => ({
        name: model.objectives.find((o) => o.name === imp.objective)?.label ?? imp.objective,
        color: CATEGORY_COLORS[oi % CATEGORY_COLORS.length]!,
        values: order.map((i) => imp.values[i]! * 100),
      })),
      xLabel: "importance (% of the tree's squared-error decrease)",
      max: 100,
    }));
  }
  return out;
}

/** One pair of objectives: the sampled cloud, each run's front (several runs) or the front by colour, the knee. */
function paretoSvg(model: ReportModel, i: number, j: number): string {
  const oi = model.objectives[i]!, oj = model.objectives[j]!;
  const X = (v: number[]): number => shown(oi, v[i]!);
  const Y = (v: number[]): number => shown(oj, v[j]!);
  const series: SvgSeries[] = [];
  const feasible = model.cloud.filter((c) => c.feasible), infeasible = model.cloud.filter((c) => !c.feasible);
  if (feasible.length) series.push({ name: 'dominated trials (sample)', color: '#7a8a99', kind: 'points', x: feasible.map((c) => X(c.objectives)), y: feasible.map((c) => Y(c.objectives)), size: 1.8, opacity: 0.35 });
  if (infeasible.length) series.push({ name: 'infeasible (sample)', color: '#b0b0b0', kind: 'points', symbol: 'cross', x: infeasible.map((c) => X(c.objectives)), y: infeasible.map((c) => Y(c.objectives)), size: 2, opacity: 0.5 });
  const order = model.front.map((_, n) => n).sort((a, b) => model.front[a]!.objectives[i]! - model.front[b]!.objectives[i]!);
  const stair = nonDominatedIndices(order.map((n) => [model.front[n]!.objectives[i]!, model.front[n]!.objectives[j]!])).map((q) => order[q]!);
  if (model.runs.length === 1) series.push({ name: 'front', color: '#444', kind: 'step', x: stair.map((n) => X(model.front[n]!.objectives)), y: stair.map((n) => Y(model.front[n]!.objectives)), size: 1.2, legend: false });
  if (model.runs.length > 1) {
    // Runs compared: each run's own front in its colour, as a staircase and points.
    model.runFronts.forEach((designs, ri) => {
      const color = RUN_COLORS[ri % RUN_COLORS.length]!;
      const ord = designs.map((_, n) => n).sort((a, b) => designs[a]!.objectives[i]! - designs[b]!.objectives[i]!);
      const st = nonDominatedIndices(ord.map((n) => [designs[n]!.objectives[i]!, designs[n]!.objectives[j]!])).map((q) => ord[q]!);
      series.push({ name: `${model.runs[ri]!.label} staircase`, color, kind: 'step', x: st.map((n) => X(designs[n]!.objectives)), y: st.map((n) => Y(designs[n]!.objectives)), size: 1.2, legend: false });
      series.push({ name: model.runs[ri]!.label, color, kind: 'points', x: designs.map((d) => X(d.objectives)), y: designs.map((d) => Y(d.objectives)), size: 4 });
    });
  } else {
    const choice = colorChoicesOf(model).find((c) => c.parameter === model.drivers?.colorBy);
    if (choice) {
      choice.categories.forEach((cat, ci) => {
        const mine = model.front.filter((d) => {
          const v = d.design[choice.parameter];
          return (typeof v === 'number' ? formatNumber(v) : String(v)) === cat;
        });
        if (mine.length) {
          series.push({ name: `${choice.parameter} = ${cat}`, color: CATEGORY_COLORS[ci] ?? '#999999', kind: 'points', x: mine.map((d) => X(d.objectives)), y: mine.map((d) => Y(d.objectives)), size: 4.5 });
        }
      });
    } else {
      series.push({ name: 'front', color: '#d1495b', kind: 'points', x: model.front.map((d) => X(d.objectives)), y: model.front.map((d) => Y(d.objectives)), size: 4.5 });
    }
  }
  if (model.kneeIndex !== null) {
    const knee = model.front[model.kneeIndex]!;
    series.push({ name: 'knee', color: '#e41a1c', kind: 'points', symbol: 'star', x: [X(knee.objectives)], y: [Y(knee.objectives)], size: 8 });
  }
  return svgPlot({
    title: `${headingOf(oi)} against ${headingOf(oj)}`,
    x: { label: headingOf(oi), log: spansDecade(model, i) },
    y: { label: headingOf(oj), log: spansDecade(model, j) },
    series,
  });
}
