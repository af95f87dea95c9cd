/**
 * The tables of a report as rows of display strings (plus the raw value for sorting), built
 * once here and printed by each renderer, so every format shows the same digits.
 */
import type { ParamValue } from '../../core/types.ts';
import { median } from '../stats.ts';
import type { ObjectiveInfo, ReportModel } from './model.ts';
import { PER_WORKLOAD_TABLE_METRICS } from './run-scan.ts';
import { displayOf, formatDuration, formatNumber, headingOf, shown } from './units.ts';

export interface TableColumn {
  heading: string;
  numeric: boolean;
}

export interface TableCell {
  text: string;
  /** Sort key: the displayed number, or the text. */
  sort: number | string;
}

export interface Table {
  columns: TableColumn[];
  rows: TableCell[][];
}

function num(x: number | undefined | null): TableCell {
  if (x === undefined || x === null || !Number.isFinite(x)) return { text: '', sort: Number.NEGATIVE_INFINITY };
  const text = formatNumber(x);
  return { text, sort: Number(text) };
}

function txt(v: ParamValue | undefined): TableCell {
  if (v === undefined) return { text: '', sort: '' };
  if (typeof v === 'number') return num(v);
  return { text: v, sort: v };
}

/** Extra metric columns of the front table: those the study does not already have as objectives. */
export function extraMetricColumns(model: ReportModel): ObjectiveInfo[] {
  const out: ObjectiveInfo[] = [];
  const perWorkload = Object.keys(model.front[0]?.metrics ?? {}).filter((k) => PER_WORKLOAD_TABLE_METRICS.test(k));
  for (const m of ['dramBytes', 'utilization', ...perWorkload]) {
    if (model.objectives.some((o) => o.name === m)) continue;
    const vals = model.front.map((d) => d.metrics[m]).filter((v): v is number => typeof v === 'number');
    if (vals.length === 0) continue;
    out.push(displayOf(m, median(vals)));
  }
  return out;
}

/**
 * The front's designs: a row per design, parameters, then objectives in display units, then
 * DRAM traffic and utilisation when they are not objectives. Rows in `model.front` order.
 */
export function frontTable(model: ReportModel): Table {
  const extras = extraMetricColumns(model);
  const multiRun = model.runs.length > 1;
  const columns: TableColumn[] = [
    { heading: 'seq', numeric: true },
    ...(multiRun ? [{ heading: 'run', numeric: true }] : []),
    ...model.parameters.map((p) => ({ heading: p, numeric: model.front.every((d) => typeof d.design[p] === 'number') })),
    ...model.objectives.map((o) => ({ heading: headingOf(o), numeric: true })),
    ...extras.map((o) => ({ heading: headingOf(o), numeric: true })),
  ];
  const rows = model.front.map((d, i) => {
    const seqCell: TableCell = { text: i === model.kneeIndex ? `${d.seq} (knee)` : String(d.seq), sort: d.seq };
    return [
      seqCell,
      ...(multiRun ? [num(d.run + 1)] : []),
      ...model.parameters.map((p) => txt(d.design[p])),
      ...model.objectives.map((o, k) => num(shown(o, d.objectives[k]!))),
      ...extras.map((o) => {
        const v = d.metrics[o.name];
        return num(v === undefined ? undefined : shown(o, v));
      }),
    ];
  });
  return { columns, rows };
}

/** The study's runs: searcher, seed, trials by status, front size, wall time. */
export function runsTable(model: ReportModel): Table {
  const columns = ['run', 'searcher', 'seed', 'trials', 'ok', 'infeasible', 'failed', 'front', 'wall time', 'started', 'version'].map(
    (heading) => ({ heading, numeric: ['seed', 'trials', 'ok', 'infeasible', 'failed', 'front'].includes(heading) }),
  );
  const rows = model.runs.map((r, i) => [
    { text: `${i + 1}: ${r.dir}${r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : ''}${r.tornLastLine ? ' (torn last line ignored)' : ''}${r.skippedLines ? ` (${r.skippedLines} unreadable lines skipped)` : ''}`, sort: i },
    { text: r.algorithm, sort: r.algorithm },
    num(r.seed),
    num(r.trials),
    num(r.ok),
    num(r.infeasible),
    num(r.failed),
    num(r.frontSize),
    { text: r.wallTimeS === null ? 'unknown' : formatDuration(r.wallTimeS), sort: r.wallTimeS ?? -1 },
    { text: r.createdAt, sort: r.createdAt },
    { text: r.version, sort: r.version },
  ]);
  return { columns, rows };
}

export function spaceTable(model: ReportModel): Table {
  return {
    columns: [{ heading: 'parameter', numeric: false }, { heading: 'domain', numeric: false }, { heading: 'values', numeric: true }],
    rows: model.study.space.map((s) => [{ text: s.name, sort: s.name }, { text: s.domain, sort: s.domain }, num(s.count)]),
  };
}

export function workloadsTable(model: ReportModel): Table {
  return {
    columns: [{ heading: 'workload', numeric: false }, { heading: 'parameters', numeric: false }, { heading: 'weight', numeric: true }],
    rows: model.study.workloads.map((w) => {
      const params = Object.entries(w.params).map(([k, v]) => `${k}=${v}`).join(', ');
      return [{ text: w.name, sort: w.name }, { text: params, sort: params }, num(w.weight)];
    }),
  };
}

/**
 * Per-layer numbers of the chosen design on one workload, each kind of quantity in one unit
 * picked from its median over the layers (the 1-1000 rule of docs/REPORTS.md): energies in one
 * of pJ..J, bytes in B..GiB, cycles and MACs in plain, k or M.
 */
export function anatomyTable(model: ReportModel, workloadIndex: number): Table | null {
  const w = model.anatomy?.workloads[workloadIndex];
  if (!w) return null;
  const med = (xs: number[]): number => median(xs.filter((x) => x > 0)) || 1;
  const e = w.layers.map((l) => l.energyBreakdownPJ);
  const energy = displayOf('energyPJ', med(e.flatMap((b) => [b.mac, b.rf, b.sram, b.dram, b.other])));
  const bytes = displayOf('dramBytes', med(w.layers.flatMap((l) => [l.dramReadBytes, l.dramWriteBytes])));
  const cycles = displayOf('latencyCycles', med(w.layers.flatMap((l) => [l.computeCycles, l.stallCycles])));
  const macs = displayOf('macs', med(w.layers.map((l) => l.macs)));
  const u = (name: string, info: ObjectiveInfo): string => (info.unit ? `${name} (${info.unit})` : name);
  const cycleHeading = (name: string): string => `${name} (${cycles.unit})`;
  const cols = ['#', 'layer', 'kind', u('MACs', macs), cycleHeading('compute'), cycleHeading('stall'), 'bound', 'utilization (%)',
    u('mac energy', energy), u('rf energy', energy), u('sram energy', energy), u('dram energy', energy), u('other energy', energy),
    u('DRAM read', bytes), u('DRAM write', bytes)];
  return {
    columns: cols.map((heading) => ({ heading, numeric: !['layer', 'kind', 'bound'].includes(heading) })),
    rows: w.layers.map((l, i) => [
      num(i + 1),
      { text: l.name, sort: l.name },
      { text: l.kind, sort: l.kind },
      num(shown(macs, l.macs)),
      num(shown(cycles, l.computeCycles)),
      num(shown(cycles, l.stallCycles)),
      { text: l.bound, sort: l.bound },
      num(l.utilization * 100),
      num(shown(energy, l.energyBreakdownPJ.mac)),
      num(shown(energy, l.energyBreakdownPJ.rf)),
      num(shown(energy, l.energyBreakdownPJ.sram)),
      num(shown(energy, l.energyBreakdownPJ.dram)),
      num(shown(energy, l.energyBreakdownPJ.other)),
      num(shown(bytes, l.dramReadBytes)),
      num(shown(bytes, l.dramWriteBytes)),
    ]),
  };
}

/** Sensitivity as a table: for each parameter value, the median of each objective. */
export function sensitivityTable(model: ReportModel): Table | null {
  const s = model.sensitivity;
  if (!s) return null;
  const columns: TableColumn[] = [
    { heading: 'parameter', numeric: false },
    { heading: 'value', numeric: false },
    { heading: 'trials', numeric: true },
    ...model.objectives.map((o) => ({ heading: `median ${headingOf(o)}`, numeric: true })),
  ];
  const rows: TableCell[][] = [];
  for (const cell of s.parameters) {
    cell.labels.forEach((label, vi) => {
      rows.push([
        { text: cell.parameter, sort: cell.parameter },
        { text: label, sort: label },
        num(cell.counts[vi]),
        ...model.objectives.map((o, oi) => {
          const m = cell.medians[oi]![vi];
          return num(m === null || m === undefined ? undefined : shown(o, m));
        }),
      ]);
    });
  }
  return { columns, rows };
}

/** Hypervolume of each run at a few points (the Markdown version of the convergence plot). */
export function convergenceTable(model: ReportModel): Table | null {
  const c = model.convergence;
  if (!c || c.series.length === 0) return null;
  const maxEval = Math.max(...c.series.map((s) => s.evaluations[s.evaluations.length - 1] ?? 0));
  const marks = [...new Set([0.01, 0.1, 0.25, 0.5, 1].map((f) => Math.max(1, Math.round(f * maxEval))))];
  const columns: TableColumn[] = [{ heading: 'run', numeric: false }, ...marks.map((m) => ({ heading: `after ${m}`, numeric: true }))];
  const rows = c.series.map((s) => [
    { text: s.label, sort: s.label },
    ...marks.map((m) => {
      // The last recorded value at or before m evaluations (the hypervolume is a step function).
      let v: number | undefined;
      for (let i = 0; i < s.evaluations.length && s.evaluations[i]! <= m; i++) v = s.hypervolume[i];
      return num(v ?? 0);
    }),
  ]);
  if (c.referenceHypervolume !== null) {
    rows.push([{ text: 'reference front', sort: 'reference front' }, ...marks.map(() => num(c.referenceHypervolume))]);
  }
  return { columns, rows };
}

/** The design rules: text, front designs covered, precision on the sample. */
export function rulesTable(model: ReportModel): Table | null {
  const d = model.drivers;
  if (!d || d.rules.length === 0) return null;
  return {
    columns: [
      { heading: 'rule', numeric: false },
      { heading: 'front designs covered', numeric: false },
      { heading: 'sampled trials matched', numeric: true },
      { heading: 'of them on or near the front (%)', numeric: true },
    ],
    rows: d.rules.map((r) => [
      { text: r.text, sort: r.text },
      { text: `${r.frontCovered} of ${d.frontDesigns}`, sort: r.frontCovered },
      num(r.sampleMatched),
      num(r.sampleMatched ? Math.round((1000 * r.sampleMatchedNear) / r.sampleMatched) / 10 : undefined),
    ]),
  };
}

/** Importance of each parameter (rows) for each objective (columns), in per cent. */
export function importanceTable(model: ReportModel): Table {
  const d = model.drivers!;
  return {
    columns: [{ heading: 'parameter', numeric: false }, ...d.importance.map((imp) => ({ heading: `${labelOf(model, imp.objective)} (%)`, numeric: true }))],
    rows: d.parameters.map((p, pi) => [{ text: p, sort: p }, ...d.importance.map((imp) => num(Math.round(imp.values[pi]! * 1000) / 10))]),
  };
}

function labelOf(model: ReportModel, objective: string): string {
  return model.objectives.find((o) => o.name === objective)?.label ?? objective;
}
