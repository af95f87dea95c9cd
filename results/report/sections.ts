/**
 * The report as an ordered list of sections, like a notebook's cells: a title, a few plain
 * sentences saying what the section shows, then figures and tables. The three renderers only
 * decide how to print these; the words and numbers are decided here.
 */
import type { Figure } from './figures.ts';
import { anatomyFigures, convergenceFigure, paretoFigures, parallelFigure, sensitivityFigures } from './figures.ts';
import type { ReportModel } from './model.ts';
import type { Table } from './tables.ts';
import {
  anatomyTable, convergenceTable, frontTable, runsTable, sensitivityTable, spaceTable, workloadsTable,
} from './tables.ts';
import { formatDuration, formatNumber, headingOf, shown } from './units.ts';

export interface SectionTable {
  /** Stable id (`front-table` is the table of the front's designs). */
  id: string;
  caption: string;
  table: Table;
  /** Worth sorting by clicking a header (the HTML page makes it so). */
  sortable: boolean;
}

export interface Section {
  id: string;
  title: string;
  /** Plain text; each renderer escapes it. */
  paragraphs: string[];
  /** Short `name: value` facts shown as a list (plain text). */
  facts: [string, string][];
  figures: Figure[];
  tables: SectionTable[];
}

export function buildSections(model: ReportModel): Section[] {
  return [studySection(model), frontSection(model), designsSection(model), convergenceSection(model), anatomySection(model), sensitivitySection(model)];
}

function studySection(model: ReportModel): Section {
  const s = model.study;
  const totalWall = model.runs.reduce((a, r) => a + (r.wallTimeS ?? 0), 0);
  const facts: [string, string][] = [
    // A maximised objective is stored negated: its display scale is negative.
    ['objectives', model.objectives.map((o) => `${headingOf(o)} (${o.scale < 0 ? 'maximised' : 'minimised'})`).join(', ')],
    ['constraints', s.constraints.length ? s.constraints.map((c) => c.text).join('; ') : 'none'],
    ['searcher', [...new Set(model.runs.map((r) => r.algorithm))].join(', ')],
    ['budget', [...new Set(model.runs.map((r) => (r.budget === null ? 'unknown' : formatNumber(r.budget))))].join(', ')],
    ['seed', [...new Set(model.runs.map((r) => String(r.seed)))].join(', ')],
    ['tool version', [...new Set(model.runs.map((r) => r.version))].join(', ')],
    ['run time', model.runs.some((r) => r.wallTimeS !== null) ? formatDuration(totalWall) : 'unknown'],
    ['study hash', s.studyHash],
  ];
  if (s.aggregate) facts.splice(1, 0, ['workload metrics combined by', s.aggregate]);
  if (s.batchSize !== null) facts.push(['batch size', String(s.batchSize)]);
  const opts = Object.entries(s.searchOptions);
  if (opts.length) facts.push(['searcher options', opts.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')]);
  const fixed = Object.entries(s.fixed);
  if (fixed.length) facts.push(['fixed parameters', fixed.map(([k, v]) => `${k}=${v}`).join(', ')]);
  const paragraphs = [
    `What was searched: the workloads each design is evaluated on, the parameters of the space and their domains, the objectives and constraints, and how the search ran.` +
      (s.description ? ` ${s.description}` : ''),
    `${formatNumber(model.totalTrials)} trials in ${model.runs.length} run${model.runs.length > 1 ? 's' : ''}; ${formatNumber(model.front.length)} designs on the front.`,
  ];
  return {
    id: 'study',
    title: '1. The study',
    paragraphs,
    facts,
    figures: [],
    tables: [
      { id: 'workloads', caption: 'Workloads', table: workloadsTable(model), sortable: false },
      { id: 'space', caption: 'Design space', table: spaceTable(model), sortable: false },
      { id: 'runs', caption: 'Runs', table: runsTable(model), sortable: false },
    ],
  };
}

function frontSection(model: ReportModel): Section {
  const k = model.objectives.length;
  const sampled = model.cloud.length < model.totalTrials - model.front.length;
  const paragraphs = [
    k === 1
      ? `One objective: the best design is the front. Each dot is a trial, the star the best.`
      : `Every pair of objectives: front designs in red, joined in order as a staircase, the knee as a star; dominated trials faint blue, infeasible ones grey crosses. Hover over a point for its design.` +
        (k > 2 ? ` With more than two objectives a front design can look dominated in one projection: the staircase joins those that are not.` : ''),
  ];
  if (sampled) {
    paragraphs.push(
      `The faint cloud is a deterministic sample of ${formatNumber(model.cloud.length)} of ${formatNumber(model.totalTrials)} trials (the designs whose hash is lowest), so the page stays light; the front is complete.`,
    );
  }
  if (k === 3) paragraphs.push('The 3-D view shows the three objectives together; drag to rotate.');
  if (model.front.length === 0) paragraphs.push('No feasible trial: the front is empty.');
  return { id: 'front', title: '2. The Pareto front', paragraphs, facts: [], figures: paretoFigures(model), tables: [] };
}

function designsSection(model: ReportModel): Section {
  const par = parallelFigure(model);
  return {
    id: 'designs',
    title: "3. The front's designs",
    paragraphs: [
      `The ${formatNumber(model.front.length)} front designs: parallel coordinates over parameters and objectives (lines coloured by ${model.objectives[0] ? headingOf(model.objectives[0]) : 'the first objective'}), and a table with their parameters, objectives, DRAM traffic and utilisation. Click a column header to sort.`,
    ],
    facts: [],
    figures: par ? [par] : [],
    tables: [{ id: 'front-table', caption: 'Front designs', table: frontTable(model), sortable: true }],
  };
}

function convergenceSection(model: ReportModel): Section {
  const c = model.convergence;
  const paragraphs = [
    `Hypervolume of the front after each number of evaluations (in the order trials were recorded), one line per run. Objectives are normalised between the ideal and nadir points of all fronts shown, the reference point at ${c ? c.refPoint.map((v) => formatNumber(v)).join(', ') : '-'} in normalised units; higher is better.`,
  ];
  if (c?.referenceHypervolume !== null && c?.referenceHypervolume !== undefined) {
    paragraphs.push(`The dashed line is the hypervolume of the reference front (${c.referenceFile ?? 'given'}), the best known.`);
  }
  const fig = convergenceFigure(model);
  const table = convergenceTable(model);
  return {
    id: 'convergence',
    title: '4. Convergence',
    paragraphs,
    facts: [],
    figures: fig ? [fig] : [],
    tables: table ? [{ id: 'convergence-table', caption: 'Hypervolume after some numbers of evaluations', table, sortable: false }] : [],
  };
}

function anatomySection(model: ReportModel): Section {
  const an = model.anatomy;
  if (!an) {
    return { id: 'anatomy', title: '5. Anatomy of a design', paragraphs: ['No design to dissect (the front is empty, or the cost model was not available when the report was made).'], facts: [], figures: [], tables: [] };
  }
  const d = an.design;
  const facts: [string, string][] = [
    ['design', `seq ${d.seq}, hash ${d.hash}`],
    ...model.parameters.map((p): [string, string] => [p, String(d.design[p] ?? '')]),
    ...model.objectives.map((o, i): [string, string] => [headingOf(o), formatNumber(shown(o, d.objectives[i]!))]),
  ];
  const paragraphs = [
    `Where the time, energy and DRAM traffic of one design go, layer by layer: the ${an.reason}. Latency is split into compute cycles and stall cycles (waiting on memory); energy into MAC, register file, SRAM, DRAM and other arithmetic; DRAM traffic into reads and writes.`,
  ];
  if (an.error) paragraphs.push(`The cost model could not re-evaluate this design: ${an.error}`);
  const tables: SectionTable[] = [];
  an.workloads.forEach((w, i) => {
    const t = anatomyTable(model, i);
    if (t) tables.push({ id: `anatomy-table-${i}`, caption: `${w.workload}: per layer`, table: t, sortable: true });
    if (w.fusionGroups && w.fusionGroups.length) {
      paragraphs.push(`Fusion groups on ${w.workload} (layers that run back to back on chip): ${w.fusionGroups.map((g) => `[${g.join(', ')}]`).join(' ')}`);
    }
  });
  return { id: 'anatomy', title: '5. Anatomy of a design', paragraphs, facts, figures: anatomyFigures(model), tables };
}

function sensitivitySection(model: ReportModel): Section {
  const s = model.sensitivity;
  if (!s || s.parameters.length === 0) {
    return { id: 'sensitivity', title: '6. Sensitivity', paragraphs: ['No feasible trials to measure sensitivity on.'], facts: [], figures: [], tables: [] };
  }
  const paragraphs = [
    `How each parameter moves each objective: for every value of a parameter, the median objective over the feasible trials with that value (other parameters vary), as small multiples. ` +
      (s.sampleSize < s.feasibleTrials
        ? `Medians over a deterministic sample of ${formatNumber(s.sampleSize)} of ${formatNumber(s.feasibleTrials)} feasible trials.`
        : `Medians over all ${formatNumber(s.sampleSize)} feasible trials.`) +
      ' A search concentrates on good regions, so these are tendencies of the explored trials, not of the whole space.',
  ];
  // Name the parameter with the widest spread of medians for each objective.
  for (const [oi, o] of model.objectives.entries()) {
    let best: { p: string; ratio: number } | null = null;
    for (const cell of s.parameters) {
      const ms = cell.medians[oi]!.filter((v): v is number => v !== null).map((v) => Math.abs(v));
      if (ms.length < 2) continue;
      const lo = Math.min(...ms), hi = Math.max(...ms);
      const ratio = lo > 0 ? hi / lo : Number.POSITIVE_INFINITY;
      if (!best || ratio > best.ratio) best = { p: cell.parameter, ratio };
    }
    if (best && Number.isFinite(best.ratio)) paragraphs.push(`${headingOf(o)}: moved most by ${best.p} (median varies ${formatNumber(best.ratio)}x across its values).`);
  }
  const table = sensitivityTable(model);
  return {
    id: 'sensitivity',
    title: '6. Sensitivity',
    paragraphs,
    facts: [],
    figures: sensitivityFigures(model),
    tables: table ? [{ id: 'sensitivity-table', caption: 'Median objectives per parameter value', table, sortable: true }] : [],
  };
}
