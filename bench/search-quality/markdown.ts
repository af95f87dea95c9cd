import { cellOf, type Cell } from './experiment.ts';

/**
 * The benchmark's report: one Markdown section per space, delimited by HTML comments so a run
 * over one space replaces its own section and keeps the other's. Each section carries its
 * median hypervolume ratios as a JSON comment, from which the cross-space comparison at the top
 * is rebuilt.
 */

export interface SpaceReport {
  id: string;
  studyFile: string;
  spaceSize: number;
  counts: { ok: number; infeasible: number; failed: number; inadmissible: number };
  frontSize: number;
  objectives: string[];
  trueHypervolume: number;
  /** How the exhaustive table was obtained (computed now, in how long, or from the cache). */
  truthNote: string;
  referenceNote?: string;
  budgetRule: string;
  /** Which searcher code was measured (source-stamp.ts). */
  searchers: string;
  batchSize: number;
  seeds: number[];
  cells: Cell[];
  /** Target for nsga2 and marl at 2% of the space (small space only). */
  targetBudget?: number;
  quick: boolean;
}

/** What a section keeps for the cross-space comparison. */
export interface SpaceData {
  id: string;
  spaceSize: number;
  budgets: number[];
  /** algorithm -> median HV ratio per budget (same order as budgets). */
  medians: Record<string, number[]>;
}

export const TARGET_HV_RATIO = 0.98;
const TARGETED = ['nsga2', 'marl'];

const fmtRatio = (v: number): string => v.toFixed(3);
const fmtIgd = (v: number): string => (Number.isFinite(v) ? (v >= 0.01 ? v.toFixed(4) : v.toPrecision(3)) : '∞');
const fmtInt = (v: number): string => Math.round(v).toLocaleString('en-US');
const fmtPct = (share: number): string => `${(share * 100).toPrecision(share < 0.01 ? 2 : 3).replace(/\.?0+$/, '')}%`;
const fmtDiff = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

export function budgetsOf(cells: readonly Cell[]): number[] {
  return [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
}

export function algorithmsOf(cells: readonly Cell[]): string[] {
  return [...new Set(cells.map((c) => c.algorithm))];
}

/** Verdict lines: the 0.98 target, beating random at every budget, marl against nsga2. */
export function verdicts(r: SpaceReport): string[] {
  const lines: string[] = [];
  const budgets = budgetsOf(r.cells);
  if (r.targetBudget !== undefined) {
    for (const alg of TARGETED) {
      const c = cellOf(r.cells, alg, r.targetBudget);
      if (!c) continue;
      const m = c.hvRatio.median;
      lines.push(
        m >= TARGET_HV_RATIO
          ? `- Target met: ${alg} reaches a median HV ratio of ${fmtRatio(m)} >= ${TARGET_HV_RATIO} with ${fmtInt(r.targetBudget)} evaluations (${fmtPct(r.targetBudget / r.spaceSize)} of the space).`
          : `- Target missed: ${alg} reaches a median HV ratio of ${fmtRatio(m)} with ${fmtInt(r.targetBudget)} evaluations (${fmtPct(r.targetBudget / r.spaceSize)} of the space), ${fmtRatio(TARGET_HV_RATIO - m)} short of ${TARGET_HV_RATIO}.`,
      );
    }
  }
  for (const alg of algorithmsOf(r.cells).filter((a) => a !== 'random')) {
    const worse: string[] = [];
    for (const b of budgets) {
      const mine = cellOf(r.cells, alg, b);
      const rnd = cellOf(r.cells, 'random', b);
      if (!mine || !rnd) continue;
      const hvBetter = mine.hvRatio.median > rnd.hvRatio.median;
      const igdBetter = mine.igdPlus.median < rnd.igdPlus.median;
      if (!hvBetter || !igdBetter) {
        worse.push(`${fmtInt(b)} (HV ${fmtRatio(mine.hvRatio.median)} vs ${fmtRatio(rnd.hvRatio.median)}, IGD+ ${fmtIgd(mine.igdPlus.median)} vs ${fmtIgd(rnd.igdPlus.median)})`);
      }
    }
    lines.push(
      worse.length === 0
        ? `- ${alg} beats random at every budget (higher median HV ratio and lower median IGD+).`
        : `- ${alg} does not beat random at: ${worse.join('; ')}.`,
    );
  }
  const diffs = budgets.map((b) => {
    const ma = cellOf(r.cells, 'marl', b);
    const ns = cellOf(r.cells, 'nsga2', b);
    return ma && ns ? { b, d: ma.hvRatio.median - ns.hvRatio.median } : undefined;
  }).filter((x) => x !== undefined);
  if (diffs.length > 0) {
    const wins = diffs.filter((x) => x.d > 0).length;
    lines.push(`- marl − nsga2 (median HV ratio): ${diffs.map((x) => `${fmtDiff(x.d)} at ${fmtInt(x.b)}`).join(', ')}; marl ahead at ${wins} of ${diffs.length} budgets.`);
  }
  return lines;
}

export function renderSpaceSection(r: SpaceReport, imagePath: string | undefined): string {
  const budgets = budgetsOf(r.cells);
  const out: string[] = [];
  out.push(`<!-- begin:space:${r.id} -->`);
  out.push(`## ${r.id === 'small' ? 'Small' : r.id === 'large' ? 'Large' : r.id} space: \`${r.studyFile}\`${r.quick ? ' (quick run)' : ''}`);
  out.push('');
  out.push(
    `${fmtInt(r.spaceSize)} designs: ${fmtInt(r.counts.ok)} feasible, ${fmtInt(r.counts.infeasible)} infeasible, ${fmtInt(r.counts.failed)} failed` +
      `${r.counts.inadmissible > 0 ? `, ${fmtInt(r.counts.inadmissible)} inadmissible` : ''}. ` +
      `Objectives ${r.objectives.join(', ')}; the true front has ${fmtInt(r.frontSize)} points and a normalised hypervolume of ${r.trueHypervolume.toFixed(6)} ` +
      `(its own ideal and nadir, reference point 1.1). ${r.truthNote}`,
  );
  if (r.referenceNote) out.push('', `Committed front: ${r.referenceNote}.`);
  out.push('');
  out.push(
    `Budgets: ${r.budgetRule}; each budget is its own run from scratch (no prefixes of longer runs). ` +
      `${r.seeds.length} seeds (${r.seeds[0]}..${r.seeds[r.seeds.length - 1]}) per searcher and budget; batch size ${r.batchSize} (the study's \`search.batchSize\`, capped at the budget); default searcher settings. Searchers measured: ${r.searchers}.`,
  );
  out.push('');
  out.push('| searcher | evaluations | share of space | HV ratio median | HV ratio quartiles | HV ratio min – max | IGD+ median | IGD+ quartiles | front points (median) | searcher time per run |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const alg of algorithmsOf(r.cells)) {
    for (const b of budgets) {
      const c = cellOf(r.cells, alg, b);
      if (!c) continue;
      out.push(
        `| ${alg} | ${fmtInt(b)} | ${fmtPct(b / r.spaceSize)} | ${fmtRatio(c.hvRatio.median)} | ${fmtRatio(c.hvRatio.q1)} – ${fmtRatio(c.hvRatio.q3)} | ${fmtRatio(c.hvRatio.min)} – ${fmtRatio(c.hvRatio.max)} | ` +
          `${fmtIgd(c.igdPlus.median)} | ${fmtIgd(c.igdPlus.q1)} – ${fmtIgd(c.igdPlus.q3)} | ${fmtInt(c.frontSize.median)} | ${formatSeconds(c.searcherS.median)} |`,
      );
    }
  }
  out.push('');
  out.push(...verdicts(r));
  if (imagePath) out.push('', `![Hypervolume ratio against evaluations, ${r.id} space](${imagePath})`);
  const data: SpaceData = {
    id: r.id,
    spaceSize: r.spaceSize,
    budgets,
    medians: Object.fromEntries(algorithmsOf(r.cells).map((a) => [a, budgets.map((b) => cellOf(r.cells, a, b)?.hvRatio.median ?? NaN)])),
  };
  out.push('', `<!-- data:${JSON.stringify(data)} -->`);
  out.push(`<!-- end:space:${r.id} -->`);
  return out.join('\n');
}

function formatSeconds(s: number): string {
  return s >= 1 ? `${s.toFixed(1)} s` : `${(s * 1000).toFixed(0)} ms`;
}

/** Sections of an existing report, by space id. */
export function parseSections(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- begin:space:([\w-]+) -->[\s\S]*?<!-- end:space:\1 -->/g;
  for (const m of doc.matchAll(re)) out.set(m[1]!, m[0]);
  return out;
}

export function dataOf(section: string): SpaceData | undefined {
  const m = /<!-- data:(\{.*\}) -->/.exec(section);
  return m ? (JSON.parse(m[1]!) as SpaceData) : undefined;
}

/**
 * Does multi-agent RL gain on NSGA-II as the space grows? Answered from the medians, whichever
 * way they fall, in two measures: the absolute difference of median HV ratios, and the ratio of
 * their shortfalls (1 - HV ratio: what is left to find), because on a large space every
 * searcher's HV ratio crowds near 1 and absolute differences shrink for that reason alone.
 */
export function marlVersusNsga2(spaces: SpaceData[]): string[] {
  const rows = spaces
    .filter((s) => s.medians.marl && s.medians.nsga2 && s.medians.marl.length === s.budgets.length)
    .sort((a, b) => a.spaceSize - b.spaceSize)
    .map((s) => {
      const d = s.budgets.map((_, i) => s.medians.marl![i]! - s.medians.nsga2![i]!);
      const shortfall = s.budgets.map((_, i) => (1 - s.medians.marl![i]!) / Math.max(1e-9, 1 - s.medians.nsga2![i]!));
      const mean = d.reduce((x, y) => x + y, 0) / d.length;
      const sorted = [...shortfall].sort((x, y) => x - y);
      const mid = sorted.length >> 1;
      const medianShortfall = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return { s, d, mean, shortfall, medianShortfall, wins: d.filter((x) => x > 0).length };
    });
  if (rows.length === 0) return [];
  const lines = rows.map(
    (r) =>
      `- ${r.s.id} space (${fmtInt(r.s.spaceSize)} designs): marl − nsga2 median HV ratio ${r.d.map((x, i) => `${fmtDiff(x)} at ${fmtInt(r.s.budgets[i]!)}`).join(', ')} (mean ${fmtDiff(r.mean)}); ` +
      `marl ahead at ${r.wins} of ${r.d.length} budgets. marl's shortfall (1 − HV ratio) is ${r.shortfall.map((x) => `${x.toFixed(1)}×`).join(', ')} nsga2's.`,
  );
  if (rows.length >= 2) {
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    const absolute = last.mean > first.mean ? "moves in marl's favour" : last.mean < first.mean ? "moves in nsga2's favour" : 'stays the same';
    const relative = last.medianShortfall < first.medianShortfall ? 'shrinks' : last.medianShortfall > first.medianShortfall ? 'grows' : 'stays the same';
    const leader = last.wins === last.d.length ? 'marl is ahead of nsga2 at every budget' : last.wins === 0 ? 'nsga2 is ahead of marl at every budget' : `marl is ahead at ${last.wins} of ${last.d.length} budgets`;
    lines.push(
      `- From ${fmtInt(first.s.spaceSize)} to ${fmtInt(last.s.spaceSize)} designs the mean difference of median HV ratios ${absolute} (${fmtDiff(first.mean)} → ${fmtDiff(last.mean)}) ` +
        `while marl's shortfall relative to nsga2's ${relative} (median ${first.medianShortfall.toFixed(1)}× → ${last.medianShortfall.toFixed(1)}×). ` +
        `On the largest space ${leader}.`,
    );
  }
  return lines;
}

export function renderDocument(sections: Map<string, string>, command: string): string {
  const order = ['small', 'large', ...[...sections.keys()].filter((k) => k !== 'small' && k !== 'large')];
  const present = order.filter((k) => sections.has(k));
  const data = present.map((k) => dataOf(sections.get(k)!)).filter((d) => d !== undefined);
  const out: string[] = [];
  out.push('# Search quality');
  out.push('');
  out.push(`Written by \`${command}\` (\`bench/search-quality.ts\`); do not edit by hand.`);
  out.push('');
  out.push(
    'How close each searcher comes to the true Pareto front of a real cost-model space with a few percent of its designs evaluated. ' +
      'Every design of each reference space is evaluated once through the normal evaluation path (`dse/evaluate-design.ts` in the worker pool); ' +
      'the searchers then run their ask/tell loop in-process and each asked design is answered from that table with exactly the trial the cost model gives it ' +
      '(status, objectives, constraint violations), so a searcher sees only what it asked for and runs are exact and fast.',
  );
  out.push('');
  out.push(
    '- **HV ratio**: hypervolume of the run\'s feasible non-dominated points divided by the true front\'s, both normalised with the true front\'s ideal and nadir ' +
      '(`results/normalize.ts`), reference point 1.1 in every objective (`results/hypervolume.ts`). 1 means the whole front was found.',
  );
  out.push('- **IGD+** (`results/indicators.ts`): mean distance from each true-front point to the run\'s front, counting only where the run is worse, in the same normalisation. 0 means the whole front was found.');
  out.push('- Medians, quartiles and extremes are over the seeds. A run with no feasible design has HV ratio 0 and IGD+ ∞.');
  out.push(`- Targets: nsga2 and marl reach a median HV ratio of at least ${TARGET_HV_RATIO} with 2% of the small space's evaluations, and beat random at every budget on both spaces.`);
  const cross = marlVersusNsga2(data);
  if (cross.length > 0) {
    out.push('');
    out.push('## Multi-agent RL against NSGA-II as the space grows');
    out.push('');
    out.push(...cross);
  }
  for (const k of present) {
    out.push('');
    out.push(sections.get(k)!);
  }
  return out.join('\n') + '\n';
}
