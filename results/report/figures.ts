/**
 * Plotly figures (plain JSON: data + layout) built from the report model. The HTML page and
 * the notebook draw exactly these, so both show the same plots. All user text in a figure
 * goes through escapePlotlyText (plotly renders a subset of HTML in labels).
 */
import type { ParamValue } from '../../core/types.ts';
import { nonDominatedIndices } from '../dominance.ts';
import { escapePlotlyText as esc } from './escape.ts';
import type { CloudPoint, ObjectiveInfo, ReportDesign, ReportModel } from './model.ts';
import { formatNumber, headingOf, shown } from './units.ts';

export interface Figure {
  /** Stable id, used as the DOM id of the plot and the notebook output key. */
  id: string;
  /** Short caption, also the text/plain of a notebook output. */
  caption: string;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  /** Axes (`xaxis`, `yaxis`...) drawn on a log scale because their values span more than 10x; the HTML page can switch them to linear. */
  logAxes?: string[];
}

/**
 * Colours of categories (Okabe-Ito, distinct for colour-blind readers too). Points of the
 * Pareto plots are coloured by one parameter; the HTML page lets the reader pick another.
 */
export const CATEGORY_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];
const OTHER_CATEGORY_COLOR = '#999999';

/** A parameter points can be coloured by: its index in the hover data and its value labels (as in the hover data). */
export interface ColorChoice {
  parameter: string;
  index: number;
  categories: string[];
}

export function colorChoicesOf(model: ReportModel): ColorChoice[] {
  const d = model.drivers;
  if (!d) return [];
  return d.colorChoices.map((p) => {
    const index = model.parameters.indexOf(p);
    const values = [...new Set([...model.front.map((f) => f.design[p]), ...model.cloud.map((c) => c.values[index])].filter((v): v is ParamValue => v !== undefined))];
    // Numbers ascending, otherwise by code unit (the notebook's Python sorts the same way).
    const numeric = values.every((v) => typeof v === 'number');
    values.sort((a, b) => (numeric ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    return { parameter: p, index, categories: values.map(label) };
  }).filter((c) => c.index >= 0);
}

function defaultColorChoice(model: ReportModel): ColorChoice | null {
  const choices = colorChoicesOf(model);
  return choices.find((c) => c.parameter === model.drivers?.colorBy) ?? null;
}

function categoryColor(choice: ColorChoice, valueLabel: string): string {
  const i = choice.categories.indexOf(valueLabel);
  return i >= 0 && i < CATEGORY_COLORS.length ? CATEGORY_COLORS[i]! : OTHER_CATEGORY_COLOR;
}

/** Legend entries for the colours (traces with no points). Tagged so the HTML page can replace them. */
function colorLegendTraces(choice: ColorChoice | null, kind: 'scatter' | 'scatter3d'): Record<string, unknown>[] {
  if (!choice) return [];
  return choice.categories.map((c, i) => ({
    type: kind,
    mode: 'markers',
    name: `${esc(choice.parameter)} = ${c}`,
    ...(kind === 'scatter3d' ? { x: [null], y: [null], z: [null] } : { x: [null], y: [null] }),
    marker: { color: i < CATEGORY_COLORS.length ? CATEGORY_COLORS[i] : OTHER_CATEGORY_COLOR, size: 9 },
    hoverinfo: 'skip',
    meta: 'colour-legend',
  }));
}

const COLORS = {
  front: '#d1495b',
  knee: '#e41a1c',
  cloud: '#00798c',
  infeasible: '#8d8d8d',
  runs: ['#00798c', '#d1495b', '#edae49', '#66a182', '#2e4057', '#8d6cab', '#e07a5f', '#3d405b'],
  /** Per-layer series: nine distinct colours (Tableau 10), so no two series of one figure share one. */
  anatomy: {
    compute: '#4e79a7', stall: '#e15759',
    mac: '#59a14f', rf: '#f28e2b', sram: '#76b7b2', dram: '#b07aa1', other: '#edc948',
    dramRead: '#9c755f', dramWrite: '#ff9da7',
  },
};

/** plotly's Viridis, spelled out (the notebook's plotly package writes it this way too). */
const VIRIDIS = [[0, '#440154'], [1 / 9, '#482878'], [2 / 9, '#3e4989'], [3 / 9, '#31688e'], [4 / 9, '#26828e'], [5 / 9, '#1f9e89'], [6 / 9, '#35b779'], [7 / 9, '#6ece58'], [8 / 9, '#b5de2b'], [1, '#fde725']];

const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12, color: '#222' };

function baseLayout(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    font: FONT,
    paper_bgcolor: '#fff',
    plot_bgcolor: '#fff',
    margin: { l: 70, r: 20, t: 30, b: 60 },
    hovermode: 'closest',
    legend: { orientation: 'h', y: -0.2 },
    ...extra,
  };
}

function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, gridcolor: '#eee', zerolinecolor: '#ccc', automargin: true, ...extra };
}

/** Rounds plot coordinates to 6 significant digits: invisible on a plot, a third of the bytes. */
function r6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

function label(v: ParamValue): string {
  return typeof v === 'number' ? formatNumber(v) : esc(v);
}

/** Hover text for a design: its parameters and objectives, one per line. */
function hoverTemplateFor(model: ReportModel, withObjectives: boolean): string {
  const lines = model.parameters.map((p, i) => `${esc(p)} = %{customdata[${i}]}`);
  if (withObjectives) {
    model.objectives.forEach((o, i) => lines.push(`${esc(headingOf(o))}: %{customdata[${model.parameters.length + i}]}`));
  }
  return lines.join('<br>') + '<extra></extra>';
}

function customDataOf(model: ReportModel, values: ParamValue[], objectives: number[], extra: string[] = []): string[] {
  return [...values.map(label), ...objectives.map((v, i) => formatNumber(shown(model.objectives[i]!, v))), ...extra];
}

function designValues(model: ReportModel, d: ReportDesign): ParamValue[] {
  return model.parameters.map((p) => d.design[p] ?? '');
}

/** Caps the cloud per figure so a page with many objective pairs stays light. */
function cloudFor(model: ReportModel, figures: number): CloudPoint[] {
  const cap = Math.max(500, Math.floor(12_000 / Math.max(1, figures)));
  if (model.cloud.length <= cap) return model.cloud;
  // Deterministic stride over the (already uniformly sampled) cloud.
  const step = model.cloud.length / cap;
  return Array.from({ length: cap }, (_, i) => model.cloud[Math.floor(i * step)]!);
}

export function paretoFigures(model: ReportModel): Figure[] {
  const k = model.objectives.length;
  const pairs: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push([i, j]);
  if (k === 1) return [singleObjectiveFigure(model)];
  const cloud = cloudFor(model, pairs.length + (k === 3 ? 1 : 0));
  const figs = pairs.map(([i, j]) => pairFigure(model, cloud, i, j));
  if (k === 3) figs.push(scatter3dFigure(model, cloud));
  return figs;
}

function cloudTraces(model: ReportModel, cloud: CloudPoint[], dims: number[], kind: 'scatter' | 'scatter3d'): Record<string, unknown>[] {
  const traces: Record<string, unknown>[] = [];
  const choice = defaultColorChoice(model);
  for (const feasible of [true, false]) {
    const pts = cloud.filter((c) => c.feasible === feasible);
    if (pts.length === 0) continue;
    const coords: Record<string, number[]> = {};
    ['x', 'y', 'z'].slice(0, dims.length).forEach((ax, d) => {
      coords[ax] = pts.map((p) => r6(shown(model.objectives[dims[d]!]!, p.objectives[dims[d]!]!)));
    });
    traces.push({
      type: kind,
      mode: 'markers',
      name: feasible ? 'dominated trials (sample)' : 'infeasible trials (sample)',
      ...coords,
      customdata: pts.map((p) => customDataOf(model, p.values, p.objectives)),
      hovertemplate: hoverTemplateFor(model, true),
      ...(feasible && choice ? { meta: 'colour-points' } : {}),
      marker: {
        color: feasible ? (choice ? pts.map((p) => categoryColor(choice, label(p.values[choice.index]!))) : COLORS.cloud) : COLORS.infeasible,
        size: kind === 'scatter3d' ? 2 : 5,
        opacity: kind === 'scatter3d' ? (feasible ? 0.35 : 0.25) : feasible ? 0.22 : 0.18,
        symbol: feasible ? 'circle' : kind === 'scatter3d' ? 'x' : 'x-thin-open',
      },
    });
  }
  return traces;
}

/** Runs compared in one report: each run's own front in its colour (a staircase and markers), named by searcher, budget and seed. */
function runFrontTraces(model: ReportModel, dims: number[], kind: 'scatter' | 'scatter3d'): Record<string, unknown>[] {
  const traces: Record<string, unknown>[] = [];
  model.runFronts.forEach((designs, r) => {
    const color = COLORS.runs[r % COLORS.runs.length]!;
    const name = esc(model.runs[r]!.label);
    const order = designs.map((_, i) => i).sort((a, b) => designs[a]!.objectives[dims[0]!]! - designs[b]!.objectives[dims[0]!]!);
    const coords = (ids: number[]): Record<string, number[]> => {
      const c: Record<string, number[]> = {};
      ['x', 'y', 'z'].slice(0, dims.length).forEach((ax, d) => {
        c[ax] = ids.map((i) => r6(shown(model.objectives[dims[d]!]!, designs[i]!.objectives[dims[d]!]!)));
      });
      return c;
    };
    if (kind === 'scatter') {
      const stair = nonDominatedIndices(order.map((i) => dims.map((d) => designs[i]!.objectives[d]!))).map((k) => order[k]!);
      traces.push({ type: 'scatter', mode: 'lines', name, legendgroup: `run-${r}`, showlegend: false, ...coords(stair), hoverinfo: 'skip', line: { color, width: 1.5, shape: 'hv' } });
    }
    traces.push({
      type: kind, mode: 'markers', name: `${name} (${designs.length} designs)`, legendgroup: `run-${r}`, ...coords(order),
      customdata: order.map((i) => customDataOf(model, designValues(model, designs[i]!), designs[i]!.objectives)),
      hovertemplate: hoverTemplateFor(model, true),
      marker: { color, size: kind === 'scatter3d' ? 4 : 8, line: { color: '#222', width: 1 } },
    });
  });
  return traces;
}

function frontTrace(model: ReportModel, dims: number[], kind: 'scatter' | 'scatter3d'): Record<string, unknown>[] {
  if (model.runs.length > 1) return [...runFrontTraces(model, dims, kind), ...kneeTrace(model, dims, kind)];
  const order = model.front.map((_, i) => i).sort((a, b) => model.front[a]!.objectives[dims[0]!]! - model.front[b]!.objectives[dims[0]!]!);
  const coords = (ids: number[]): Record<string, number[]> => {
    const c: Record<string, number[]> = {};
    ['x', 'y', 'z'].slice(0, dims.length).forEach((ax, d) => {
      c[ax] = ids.map((i) => r6(shown(model.objectives[dims[d]!]!, model.front[i]!.objectives[dims[d]!]!)));
    });
    return c;
  };
  const custom = (ids: number[]): string[][] => ids.map((i) => customDataOf(model, designValues(model, model.front[i]!), model.front[i]!.objectives));
  const traces: Record<string, unknown>[] = [];
  if (kind === 'scatter') {
    // The front as seen in this pair of objectives: with more than two objectives only part of
    // the front is non-dominated in the projection; that part is joined in order as a staircase
    // (the boundary of the region it dominates), the rest are markers only.
    const projected = order.map((i) => dims.map((d) => model.front[i]!.objectives[d]!));
    const stair = nonDominatedIndices(projected).map((k) => order[k]!);
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: model.objectives.length > 2 ? 'front in this projection' : 'front',
      ...coords(stair),
      hoverinfo: 'skip',
      line: { color: '#444', width: 1.5, shape: 'hv' },
      showlegend: model.objectives.length > 2,
    });
  }
  const choice = defaultColorChoice(model);
  traces.push({
    type: kind,
    mode: 'markers',
    name: `front (${model.front.length} designs)`,
    ...coords(order),
    customdata: custom(order),
    hovertemplate: hoverTemplateFor(model, true),
    ...(choice ? { meta: 'colour-points' } : {}),
    marker: {
      color: choice ? order.map((i) => categoryColor(choice, label(model.front[i]!.design[choice.parameter] ?? ''))) : COLORS.front,
      size: kind === 'scatter3d' ? 5 : 9,
      line: { color: '#222', width: 1 },
    },
  });
  return [...traces, ...kneeTrace(model, dims, kind)];
}

/** The knee of the (combined) front as a star. */
function kneeTrace(model: ReportModel, dims: number[], kind: 'scatter' | 'scatter3d'): Record<string, unknown>[] {
  if (model.kneeIndex === null) return [];
  const knee = model.front[model.kneeIndex]!;
  const c: Record<string, number[]> = {};
  ['x', 'y', 'z'].slice(0, dims.length).forEach((ax, d) => {
    c[ax] = [r6(shown(model.objectives[dims[d]!]!, knee.objectives[dims[d]!]!))];
  });
  return [{
    type: kind,
    mode: 'markers',
    name: 'knee',
    ...c,
    customdata: [customDataOf(model, designValues(model, knee), knee.objectives)],
    hovertemplate: hoverTemplateFor(model, true),
    // scatter3d has no star symbol.
    marker: { color: COLORS.knee, size: kind === 'scatter3d' ? 7 : 15, symbol: kind === 'scatter3d' ? 'diamond' : 'star', line: { color: '#333', width: 1 } },
  }];
}

function pairFigure(model: ReportModel, cloud: CloudPoint[], i: number, j: number): Figure {
  const oi = model.objectives[i]!, oj = model.objectives[j]!;
  const logAxes = [spansDecade(model, i) ? 'xaxis' : '', spansDecade(model, j) ? 'yaxis' : ''].filter(Boolean);
  return {
    id: `pareto-${oi.name}-${oj.name}`,
    caption: `${headingOf(oi)} against ${headingOf(oj)}`,
    data: [...cloudTraces(model, cloud, [i, j], 'scatter'), ...frontTrace(model, [i, j], 'scatter'), ...colorLegendTraces(defaultColorChoice(model), 'scatter')],
    layout: baseLayout({
      xaxis: axis(esc(headingOf(oi)), objectiveAxisOf(model, i)),
      yaxis: axis(esc(headingOf(oj)), objectiveAxisOf(model, j)),
      height: 460,
    }),
    logAxes,
  };
}

/** An objective axis: exponents as powers of ten, never SI prefixes (a "1µ" on a dimensionless error, or "1k" on milliseconds, misleads). */
function objectiveAxis(log: boolean, minorLabels: boolean): Record<string, unknown> {
  // dtick D2: a log axis labels 2 and 5 between decades, not every digit (over many decades, the decades only).
  return { exponentformat: 'power', ...(log ? { type: 'log', ...(minorLabels ? { dtick: 'D2' } : {}) } : {}) };
}

/** max/min of an objective's shown values (front and cloud); 0 when some value is not positive. */
function spanRatio(model: ReportModel, i: number): number {
  const vals = [...model.front.map((d) => d.objectives[i]!), ...model.cloud.map((c) => c.objectives[i]!)].map((v) => shown(model.objectives[i]!, v));
  if (vals.length === 0) return 0;
  let lo = Infinity, hi = -Infinity;
  for (const v of vals) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo > 0 ? hi / lo : 0;
}

/** True when an objective's shown values are all positive and span more than 10x: such an axis is drawn on a log scale. */
export function spansDecade(model: ReportModel, i: number): boolean {
  return spanRatio(model, i) > 10;
}

/** The axis of objective i: log past 10x, labelled at 2 and 5 between decades only while it spans under three decades. */
function objectiveAxisOf(model: ReportModel, i: number): Record<string, unknown> {
  const ratio = spanRatio(model, i);
  return objectiveAxis(ratio > 10, ratio < 1000);
}

function scatter3dFigure(model: ReportModel, cloud: CloudPoint[]): Figure {
  const [a, b, c] = model.objectives as [ObjectiveInfo, ObjectiveInfo, ObjectiveInfo];
  return {
    id: 'pareto-3d',
    caption: `the three objectives together (drag to rotate)`,
    data: [...cloudTraces(model, cloud, [0, 1, 2], 'scatter3d'), ...frontTrace(model, [0, 1, 2], 'scatter3d'), ...colorLegendTraces(defaultColorChoice(model), 'scatter3d')],
    layout: baseLayout({
      height: 600,
      margin: { l: 0, r: 0, t: 10, b: 10 },
      scene: {
        xaxis: { title: { text: esc(headingOf(a)) }, ...objectiveAxisOf(model, 0) },
        yaxis: { title: { text: esc(headingOf(b)) }, ...objectiveAxisOf(model, 1) },
        zaxis: { title: { text: esc(headingOf(c)) }, ...objectiveAxisOf(model, 2) },
      },
    }),
    logAxes: ['xaxis', 'yaxis', 'zaxis'].filter((_, k) => spansDecade(model, k)).map((ax) => `scene.${ax}`),
  };
}

function singleObjectiveFigure(model: ReportModel): Figure {
  const o = model.objectives[0]!;
  const cloud = cloudFor(model, 1);
  return {
    id: `pareto-${o.name}`,
    caption: `${headingOf(o)} of each sampled trial`,
    data: [
      {
        type: 'scatter', mode: 'markers', name: 'trials (sample)',
        x: cloud.map((c) => c.seq), y: cloud.map((c) => r6(shown(o, c.objectives[0]!))),
        customdata: cloud.map((p) => customDataOf(model, p.values, p.objectives)),
        hovertemplate: hoverTemplateFor(model, true),
        marker: { color: cloud.map((c) => (c.feasible ? COLORS.cloud : COLORS.infeasible)), opacity: 0.3, size: 5 },
      },
      {
        type: 'scatter', mode: 'markers', name: 'best',
        x: model.front.map((d) => d.seq), y: model.front.map((d) => r6(shown(o, d.objectives[0]!))),
        customdata: model.front.map((d) => customDataOf(model, designValues(model, d), d.objectives)),
        hovertemplate: hoverTemplateFor(model, true),
        marker: { color: COLORS.front, size: 12, symbol: 'star' },
      },
    ],
    layout: baseLayout({ xaxis: axis('trial (seq)'), yaxis: axis(esc(headingOf(o))), height: 380 }),
  };
}

/**
 * One parameter axis of the parallel coordinates: categories as named ticks; powers of two on
 * a log2 axis ticked at the values seen (16, 32, 64 evenly spaced); other numbers ticked at
 * their values when there are few (bitwidths 4, 8, 16, never 7.5).
 */
export function parallelDimension(p: string, vals: (ParamValue | undefined)[]): Record<string, unknown> {
  if (vals.every((v) => typeof v === 'number')) {
    const nums = vals as number[];
    const seen = [...new Set(nums)].sort((a, b) => a - b);
    const pow2 = seen.length > 2 && seen.every((v) => v > 0 && Number.isInteger(Math.log2(v)));
    if (pow2) {
      return { label: `${esc(p)} (log₂)`, values: nums.map(Math.log2), tickvals: seen.map(Math.log2), ticktext: seen.map(formatNumber) };
    }
    return { label: esc(p), values: nums, ...(seen.length <= 12 ? { tickvals: seen, ticktext: seen.map(formatNumber) } : {}) };
  }
  const cats = [...new Set(vals.map((v) => String(v ?? '')))].sort();
  return {
    label: esc(p),
    values: vals.map((v) => cats.indexOf(String(v ?? ''))),
    tickvals: cats.map((_, i) => i),
    ticktext: cats.map(esc),
    range: [-0.5, Math.max(0.5, cats.length - 0.5)],
  };
}

/** Parallel coordinates over the front: one axis per parameter, then one per objective. */
export function parallelFigure(model: ReportModel): Figure | null {
  if (model.front.length === 0) return null;
  const dims: Record<string, unknown>[] = model.parameters.map((p) => parallelDimension(p, model.front.map((d) => d.design[p])));
  model.objectives.forEach((o, i) => {
    dims.push({ label: esc(headingOf(o)), values: model.front.map((d) => r6(shown(o, d.objectives[i]!))) });
  });
  const first = model.objectives[0]!;
  return {
    id: 'front-parallel',
    caption: 'front designs across parameters and objectives (drag along an axis to filter)',
    data: [
      {
        type: 'parcoords',
        dimensions: dims,
        line: {
          color: model.front.map((d) => r6(shown(first, d.objectives[0]!))),
          colorscale: VIRIDIS,
          showscale: true,
          colorbar: { title: { text: esc(headingOf(first)) }, thickness: 12 },
        },
        labelangle: -20,
      },
    ],
    layout: baseLayout({ height: 440, margin: { l: 70, r: 90, t: 80, b: 30 } }),
  };
}

export function convergenceFigure(model: ReportModel): Figure | null {
  const conv = model.convergence;
  if (!conv || conv.series.length === 0) return null;
  const data: Record<string, unknown>[] = conv.series.map((s, i) => ({
    type: 'scatter',
    mode: s.evaluations.length > 1 ? 'lines' : 'markers',
    name: esc(s.label),
    x: s.evaluations,
    y: s.hypervolume.map(r6),
    line: { shape: 'hv', width: 2, color: COLORS.runs[i % COLORS.runs.length] },
    hovertemplate: 'after %{x} evaluations: %{y}<extra>' + esc(s.label) + '</extra>',
  }));
  if (conv.referenceHypervolume !== null) {
    const maxX = Math.max(1, ...conv.series.flatMap((s) => s.evaluations));
    data.push({
      type: 'scatter', mode: 'lines', name: 'reference front',
      x: [0, maxX], y: [r6(conv.referenceHypervolume), r6(conv.referenceHypervolume)],
      line: { dash: 'dash', color: '#444', width: 1.5 },
      hovertemplate: 'reference front: %{y}<extra></extra>',
    });
  }
  return {
    id: 'convergence',
    caption: 'hypervolume of the front against evaluations',
    data,
    layout: baseLayout({
      xaxis: axis('evaluations'),
      yaxis: axis('hypervolume (normalised objectives)', { rangemode: 'tozero' }),
      height: 380,
      showlegend: true,
    }),
  };
}

/** Per workload: latency split into compute and stall cycles, energy by component, DRAM bytes; one column per layer. */
export function anatomyFigures(model: ReportModel): Figure[] {
  const an = model.anatomy;
  if (!an || an.error) return [];
  return an.workloads.map((w, wi) => {
    const names = w.layers.map((l, i) => `${i + 1}. ${esc(l.name)}`);
    const maxEnergy = Math.max(0, ...w.layers.map((l) => l.energyBreakdownPJ.mac + l.energyBreakdownPJ.rf + l.energyBreakdownPJ.sram + l.energyBreakdownPJ.dram + l.energyBreakdownPJ.other));
    const eScale = maxEnergy >= 1e6 ? { s: 1e-6, u: 'µJ' } : maxEnergy >= 1e3 ? { s: 1e-3, u: 'nJ' } : { s: 1, u: 'pJ' };
    const maxBytes = Math.max(0, ...w.layers.map((l) => l.dramReadBytes + l.dramWriteBytes));
    const bScale = maxBytes >= 1024 ** 2 ? { s: 1 / 1024 ** 2, u: 'MiB' } : maxBytes >= 1024 ? { s: 1 / 1024, u: 'KiB' } : { s: 1, u: 'B' };
    const bar = (name: string, y: number[], color: string, yaxis: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      type: 'bar', name, x: names, y: y.map(r6), yaxis, marker: { color }, ...extra,
    });
    const data = [
      bar('compute cycles', w.layers.map((l) => l.computeCycles), COLORS.anatomy.compute, 'y', { legendgroup: 'lat' }),
      bar('stall cycles', w.layers.map((l) => l.stallCycles), COLORS.anatomy.stall, 'y', { legendgroup: 'lat' }),
      ...(['mac', 'rf', 'sram', 'dram', 'other'] as const).map((c) =>
        bar(`${c} energy`, w.layers.map((l) => l.energyBreakdownPJ[c] * eScale.s), COLORS.anatomy[c], 'y2', { legendgroup: 'energy' }),
      ),
      bar('DRAM read', w.layers.map((l) => l.dramReadBytes * bScale.s), COLORS.anatomy.dramRead, 'y3', { legendgroup: 'dram' }),
      bar('DRAM write', w.layers.map((l) => l.dramWriteBytes * bScale.s), COLORS.anatomy.dramWrite, 'y3', { legendgroup: 'dram' }),
    ];
    const tickFont = { size: w.layers.length > 60 ? 10 : 12 };
    return {
      id: `anatomy-${wi}`,
      caption: `per-layer latency, energy and DRAM traffic on ${w.workload}`,
      data,
      layout: baseLayout({
        barmode: 'stack',
        height: 760,
        margin: { l: 80, r: 20, t: 80, b: 140 },
        grid: { rows: 3, columns: 1, pattern: 'independent', roworder: 'top to bottom' },
        xaxis: { ...axis(''), showticklabels: false, matches: 'x3' },
        xaxis2: { ...axis(''), showticklabels: false, matches: 'x3' },
        xaxis3: { ...axis(''), tickangle: -60, tickfont: tickFont },
        yaxis: axis('cycles'),
        yaxis2: axis(`energy (${eScale.u})`),
        yaxis3: axis(`DRAM (${bScale.u})`),
        legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      }),
    };
  }).map((f) => {
    // Subplot pairs: trace yaxis y2 goes with x2, y3 with x3.
    for (const t of f.data) {
      if (t.yaxis === 'y2') t.xaxis = 'x2';
      if (t.yaxis === 'y3') t.xaxis = 'x3';
    }
    return f;
  });
}

/**
 * Small multiples: for each objective, a box per value of each parameter (quartiles, median,
 * whiskers at the 5th and 95th percentiles of the sampled trials with that value). The y axis
 * is shared by all parameters of an objective, so their effects compare; it starts at zero
 * (a linear axis of a positive objective) or is logarithmic when the objective spans more than
 * 10x, so a 2% difference does not fill the plot.
 */
export function sensitivityFigures(model: ReportModel): Figure[] {
  const sens = model.sensitivity;
  if (!sens || sens.parameters.length === 0) return [];
  const n = sens.parameters.length;
  const cols = Math.min(4, n);
  const rows = Math.ceil(n / cols);
  return model.objectives.map((o, oi) => {
    const data: Record<string, unknown>[] = [];
    const shownOf = (vs: (number | null)[]): (number | null)[] => vs.map((v) => (v === null ? null : r6(shown(o, v))));
    const all = sens.parameters.flatMap((c) => [...shownOf(c.p5[oi]!), ...shownOf(c.p95[oi]!)]).filter((v): v is number => v !== null);
    const lo = Math.min(...all), hi = Math.max(...all);
    const log = lo > 0 && hi / lo > 10;
    const yType: Record<string, unknown> = log ? { type: 'log' } : lo >= 0 ? { rangemode: 'tozero' } : {};
    const layout: Record<string, unknown> = baseLayout({
      height: 80 + rows * 230,
      showlegend: false,
      margin: { l: 70, r: 20, t: 50, b: 40 },
      grid: { rows, columns: cols, pattern: 'independent', roworder: 'top to bottom', xgap: 0.1, ygap: 0.45 },
    });
    sens.parameters.forEach((cell, pi) => {
      const suffix = pi === 0 ? '' : String(pi + 1);
      data.push({
        type: 'box',
        name: esc(cell.parameter),
        x: cell.labels.map(esc),
        q1: shownOf(cell.q1[oi]!),
        median: shownOf(cell.medians[oi]!),
        q3: shownOf(cell.q3[oi]!),
        lowerfence: shownOf(cell.p5[oi]!),
        upperfence: shownOf(cell.p95[oi]!),
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        marker: { color: CATEGORY_COLORS[oi % CATEGORY_COLORS.length] },
        line: { width: 1.5 },
        hoverinfo: 'x+y',
      });
      layout[`xaxis${suffix}`] = { type: 'category', gridcolor: '#eee', tickfont: { size: 11 }, automargin: true, title: { text: esc(cell.parameter), font: { size: 12 }, standoff: 4 } };
      layout[`yaxis${suffix}`] = { gridcolor: '#eee', tickfont: { size: 10 }, automargin: true, exponentformat: 'power', ...yType, ...(pi === 0 ? {} : { matches: 'y' }) };
    });
    return {
      id: `sensitivity-${o.name}`,
      caption: `${headingOf(o)} for each value of each parameter (box: quartiles and median; whiskers: 5th to 95th percentile)`,
      data,
      layout: { ...layout, title: { text: `${esc(headingOf(o))}${log ? ' (log scale)' : lo >= 0 ? ' (axis from zero)' : ''}`, font: { size: 13 }, x: 0.01 } },
      ...(log ? { logAxes: sens.parameters.map((_, pi) => `yaxis${pi === 0 ? '' : pi + 1}`) } : {}),
    };
  });
}

/** Importance of each parameter for each objective: horizontal bars, one colour per objective. */
export function importanceFigure(model: ReportModel): Figure | null {
  const d = model.drivers;
  if (!d || d.importance.length === 0) return null;
  // Most important (summed over objectives) at the top.
  const order = d.parameters.map((_, i) => i).sort((a, b) => sumAt(d.importance, a) - sumAt(d.importance, b));
  const data = d.importance.map((imp, oi) => {
    const o = model.objectives.find((x) => x.name === imp.objective);
    return {
      type: 'bar',
      orientation: 'h',
      name: esc(o ? o.label : imp.objective),
      y: order.map((i) => esc(d.parameters[i]!)),
      x: order.map((i) => r6(imp.values[i]! * 100)),
      marker: { color: CATEGORY_COLORS[oi % CATEGORY_COLORS.length] },
      hovertemplate: `%{y}: %{x:.1f}% of the tree's error decrease<extra>${esc(o ? o.label : imp.objective)}</extra>`,
    };
  });
  return {
    id: 'importance',
    caption: 'parameter importance per objective (mean decrease in impurity of an ml-cart regression tree)',
    data,
    layout: baseLayout({
      barmode: 'group',
      height: 120 + d.parameters.length * 22 * Math.max(1, d.importance.length) ** 0.5,
      xaxis: axis('importance (% of the squared-error decrease)', { rangemode: 'tozero', range: [0, 100] }),
      yaxis: axis('', { type: 'category' }),
      legend: { orientation: 'h', y: -0.25 },
      showlegend: true,
    }),
  };
}

function sumAt(importance: { values: number[] }[], i: number): number {
  return importance.reduce((a, imp) => a + imp.values[i]!, 0);
}
