/**
 * The report as an ordered list of sections, like a notebook's cells: a title, a few plain
 * sentences saying what the section shows, then figures and tables. The three renderers only
 * decide how to print these; the words and numbers are decided here.
 */
import type { Figure } from './figures.ts';
import { anatomyFigures, convergenceFigure, importanceFigure, paretoFigures, parallelFigure, sensitivityFigures } from './figures.ts';
import type { ReportModel } from './model.ts';
import type { Table } from './tables.ts';
import {
  anatomyTable, convergenceTable, frontTable, importanceTable, rulesTable, runsTable, sensitivityTable, spaceTable, workloadsTable,
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
  /** The section's kind (`front`, `study`...) when `id` carries a problem prefix. */
  kind?: string;
  title: string;
  /** Plain text; each renderer escapes it. */
  paragraphs: string[];
  /** Short `name: value` facts shown as a list (plain text). */
  facts: [string, string][];
  figures: Figure[];
  tables: SectionTable[];
}

export function buildSections(model: ReportModel): Section[] {
  const sections = [studySection(model), frontSection(model), designsSection(model), driversSection(model), convergenceSection(model), anatomySection(model), sensitivitySection(model)];
  return sections.map((s, i) => ({ ...s, title: `${i + 1}. ${s.title}` }));
}

/** A section within a report: which problem (index into the models) it belongs to. */
export interface PlacedSection {
  section: Section;
  model: ReportModel;
  problem: number;
}

/**
 * The sections of a report of one or more problems (runs of different problems are not folded
 * into one front): with several, each problem's sections, ids prefixed `p1-`, `p2-`... (their
 * figures and tables too) and titles naming the problem's study.
 */
export function problemSections(models: ReportModel[]): PlacedSection[] {
  if (models.length === 1) return buildSections(models[0]!).map((section) => ({ section, model: models[0]!, problem: 0 }));
  return models.flatMap((model, k) => {
    const prefix = `p${k + 1}-`;
    return buildSections(model).map((s) => ({
      problem: k,
      model,
      section: {
        ...s,
        id: prefix + s.id,
        kind: s.id,
        title: `Problem ${k + 1} (${model.title}) · ${s.title}`,
        figures: s.figures.map((f) => ({ ...f, id: prefix + f.id })),
        tables: s.tables.map((t) => ({ ...t, id: prefix + t.id })),
      },
    }));
  });
}

function percent(x: number | null): string {
  return x === null ? 'n/a' : `${formatNumber(Math.round(x * 1000) / 10)}%`;
}

function driversSection(model: ReportModel): Section {
  const d = model.drivers;
  if (!d) {
    return { id: 'drivers', title: 'What drives the front', paragraphs: ['No feasible trials or no searched parameters: nothing to explain.'], facts: [], figures: [], tables: [] };
  }
  const label = (name: string): string => {
    const o = model.objectives.find((x) => x.name === name);
    return o ? o.label : name;
  };
  const paragraphs = [
    `Design rules: a decision tree (CART, ml-cart, depth ≤ 3) separates the designs on or near the front from the rest. ` +
      `"Near" means at most ${formatNumber(d.epsilon)} of the front's extent behind some front design in every objective (an additive epsilon in normalised objectives). ` +
      `Each rule is a leaf of the tree that predicts "on or near the front": the front designs it covers (of all ${formatNumber(d.frontDesigns)}) and how many of the sampled trials it matches are on or near the front.`,
    `Fitted on ${formatNumber(d.trainRows)} designs (every front design up to half of them, the rest from a deterministic sample of ${formatNumber(d.sampleSize)} feasible trials, ${formatNumber(d.nearFrontInSample)} of them on or near the front) in ${formatNumber(Math.round(d.fitMs.rules))} ms; ` +
      `accuracy on ${formatNumber(d.heldOutRows)} held-out designs it was not fitted on: ${percent(d.heldOutAccuracy)} (front and near-front designs recognised: ${percent(d.heldOutRecall)}).`,
    `Parameter importance per objective: for each objective a regression tree (ml-cart, depth ≤ 4) on the objective's quantile level (its rank in 16 equal-count levels), fitted on ${formatNumber(d.importanceRows)} sampled feasible trials in ${formatNumber(Math.round(d.fitMs.importance))} ms for all objectives; ` +
      `a parameter's importance is the decrease in squared error of the tree's splits on it (mean decrease in impurity), as a share of the total. It says what orders the explored designs, not a causal effect.`,
  ];
  if (d.rulesNote) paragraphs.push(`No rules: ${d.rulesNote}.`);
  for (const n of d.noEffect) {
    paragraphs.push(`${n.parameter} cannot change ${label(n.objective)} in the model: ${formatNumber(n.pairs)} pairs of sampled designs that differ only in ${n.parameter} have equal ${label(n.objective)}. Any trend of ${label(n.objective)} with ${n.parameter} in the other plots is sampling noise.`);
  }
  const rules = rulesTable(model);
  const fig = importanceFigure(model);
  return {
    id: 'drivers',
    title: 'What drives the front',
    paragraphs,
    facts: [],
    figures: fig ? [fig] : [],
    tables: [
      ...(rules ? [{ id: 'rules-table', caption: 'Design rules (leaves of the tree that predict on or near the front)', table: rules, sortable: false }] : []),
      { id: 'importance-table', caption: 'Parameter importance per objective (share of the tree’s squared-error decrease)', table: importanceTable(model), sortable: true },
    ],
  };
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
    title: 'The study',
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
      : `Every pair of objectives: front designs as large outlined dots joined in order as a staircase, the knee as a red star; dominated trials as faint dots, infeasible ones as grey crosses. ` +
        `Points are coloured by a parameter (the categorical one that matters most by the importance below; pick another in the menu). Axes whose values span more than 10x are logarithmic (the box switches them to linear). Hover over a point for its design.` +
        (k > 2 ? ` With more than two objectives a front design can look dominated in one projection: the staircase joins those that are not.` : ''),
  ];
  if (sampled) {
    paragraphs.push(
      `The faint cloud is a deterministic sample of ${formatNumber(model.cloud.length)} of ${formatNumber(model.totalTrials)} trials (the designs whose hash is lowest), so the page stays light; the front is complete.`,
    );
  }
  if (k === 3) paragraphs.push('The 3-D view shows the three objectives together; drag to rotate.');
  if (model.front.length === 0) paragraphs.push('No feasible trial: the front is empty.');
  return { id: 'front', title: 'The Pareto front', paragraphs, facts: [], figures: paretoFigures(model), tables: [] };
}

function designsSection(model: ReportModel): Section {
  const par = parallelFigure(model);
  return {
    id: 'designs',
    title: "The front's designs",
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
    title: 'Convergence',
    paragraphs,
    facts: [],
    figures: fig ? [fig] : [],
    tables: table ? [{ id: 'convergence-table', caption: 'Hypervolume after some numbers of evaluations', table, sortable: false }] : [],
  };
}

function anatomySection(model: ReportModel): Section {
  const an = model.anatomy;
  if (!an) {
    return { id: 'anatomy', title: 'Anatomy of a design', paragraphs: ['No design to dissect (the front is empty, or the cost model was not available when the report was made).'], facts: [], figures: [], tables: [] };
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
  return { id: 'anatomy', title: 'Anatomy of a design', paragraphs, facts, figures: anatomyFigures(model), tables };
}

function sensitivitySection(model: ReportModel): Section {
  const s = model.sensitivity;
  if (!s || s.parameters.length === 0) {
    return { id: 'sensitivity', title: 'Sensitivity', paragraphs: ['No feasible trials to measure sensitivity on.'], facts: [], figures: [], tables: [] };
  }
  const paragraphs = [
    `How each parameter moves each objective: for every value of a parameter, a box over the feasible trials with that value (other parameters vary): quartiles and median, whiskers at the 5th and 95th percentiles. The small multiples of an objective share one axis, from zero (or logarithmic when the objective spans more than 10x), so their effects compare. ` +
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
    title: 'Sensitivity',
    paragraphs,
    facts: [],
    figures: sensitivityFigures(model),
    tables: table ? [{ id: 'sensitivity-table', caption: 'Median objectives per parameter value', table, sortable: true }] : [],
  };
}
