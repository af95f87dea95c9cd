import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Design } from '../../core/types.ts';
import { createEvalContext, evaluateDesign } from '../../dse/evaluate-design.ts';
import { studyFromObject } from '../../dse/load-study.ts';
import { Space } from '../../search/space.ts';
import type { Searcher } from '../../search/searcher.ts';
import { runExperiment } from '../../bench/search-quality/experiment.ts';
import { dataOf, marlVersusNsga2, parseSections, renderSpaceSection, verdicts, type SpaceReport } from '../../bench/search-quality/markdown.ts';
import { frontQuality, summarize, trueFrontOf } from '../../bench/search-quality/quality.ts';
import { runOnTruth } from '../../bench/search-quality/run-on-truth.ts';
import { hvRatioPlotSvg } from '../../bench/search-quality/svg-plot.ts';
import { computeTruthTable, loadTruthTable, OK, saveTruthTable, statusCounts, trialAt } from '../../bench/search-quality/truth-table.ts';

/**
 * Smoke test of the benchmark machinery on a tiny real space: 3 x 3 x 3 x 2 = 54 designs of a
 * small residual CNN, with an area cap that makes the largest arrays infeasible.
 */
const workload = fileURLToPath(new URL('../../configs/workloads/residual-cnn.yaml', import.meta.url));
const study = studyFromObject({
  name: 'tiny-bench',
  workloads: [workload],
  space: { peRows: [4, 8, 16], peCols: [4, 8, 16], dataflow: { categorical: ['os', 'ws', 'is'] }, glbKiB: [16, 64] },
  objectives: ['latencyS', 'energyPJ', 'areaMM2'],
  constraints: { areaMM2: { max: 0.5 } },
});
const space = new Space(study.parameters, study.fixed);
const table = await computeTruthTable(study, { workers: 0 });
const truth = trueFrontOf(table);

/** Brute-force Pareto filter, independent of results/dominance.ts. */
function bruteFront(points: number[][]): number[][] {
  return points.filter((p) => !points.some((q) => q.every((v, i) => v <= p[i]!) && q.some((v, i) => v < p[i]!)));
}

test('truth table answers each design with the trial evaluateDesign gives it', async () => {
  assert.equal(table.size, 54);
  const counts = statusCounts(table);
  assert.equal(counts.ok + counts.infeasible + counts.failed + counts.inadmissible, 54);
  assert.ok(counts.ok > 0 && counts.infeasible > 0, `the area cap should split the space: ${JSON.stringify(counts)}`);
  const ctx = createEvalContext(study.spec);
  for (let i = 0; i < table.size; i++) {
    const design = space.designAt(i);
    const direct = await evaluateDesign(ctx, design);
    const looked = trialAt(table, i, design, 7);
    assert.equal(looked.seq, 7);
    assert.equal(looked.hash, direct.hash);
    assert.equal(looked.status, direct.status);
    assert.deepEqual(looked.objectives, direct.objectives);
    assert.deepEqual(looked.violations, direct.violations);
  }
});

test('the true front is the brute-force non-dominated set of the feasible designs', () => {
  const feasible: number[][] = [];
  for (let i = 0; i < table.size; i++) if (table.status[i] === OK) feasible.push(Array.from(table.values.subarray(i * 3, i * 3 + 3)));
  const key = (ps: number[][]): string[] => ps.map((p) => p.join(',')).sort();
  assert.deepEqual(key(truth.points), key(bruteFront(feasible)));
  assert.ok(truth.hypervolume > 0);
});

test('the true front scores HV ratio 1 and IGD+ 0 against itself', () => {
  const q = frontQuality(truth.points, truth);
  assert.ok(Math.abs(q.hvRatio - 1) < 1e-12, `HV ratio ${q.hvRatio}`);
  assert.equal(q.igdPlus, 0);
});

test('an exhaustive grid run finds the whole front: HV ratio 1, IGD+ 0', () => {
  const run = runOnTruth(study, table, { algorithm: 'grid', seed: 1, budget: table.size, batchSize: 10 });
  assert.equal(run.evaluations, table.size);
  const q = frontQuality(run.feasible, truth);
  assert.ok(Math.abs(q.hvRatio - 1) < 1e-12, `HV ratio ${q.hvRatio}`);
  assert.equal(q.igdPlus, 0);
});

test('a partial random run finds less than the whole front', () => {
  // With more distinct front points than the budget, some front point is missed, and every
  // distinct non-dominated point adds its own volume below the reference point 1.1.
  const distinct = new Set(truth.points.map((p) => p.join(','))).size;
  const budget = 4;
  assert.ok(distinct > budget, `front has ${distinct} distinct points`);
  for (const seed of [1, 2, 3]) {
    const run = runOnTruth(study, table, { algorithm: 'random', seed, budget, batchSize: 3 });
    assert.equal(run.evaluations, budget);
    const q = frontQuality(run.feasible, truth);
    assert.ok(q.hvRatio >= 0 && q.hvRatio < 1, `seed ${seed}: HV ratio ${q.hvRatio}`);
    assert.ok(q.igdPlus > 0, `seed ${seed}: IGD+ ${q.igdPlus}`);
  }
});

test('a run with no feasible design scores 0 and infinite IGD+', () => {
  assert.deepEqual(frontQuality([], truth), { hvRatio: 0, igdPlus: Infinity, frontSize: 0 });
});

test('a searcher breaking its contract is an error, not a number', () => {
  const asking = (designs: Design[][]): (() => Searcher) => () => {
    let k = 0;
    return { name: 'broken', ask: () => designs[k++] ?? [], tell: () => {} };
  };
  const d0 = space.designAt(0);
  assert.throws(() => runOnTruth(study, table, { algorithm: 'broken', seed: 1, budget: 10, batchSize: 2, create: asking([[d0], [d0]]) }), /twice/);
  assert.throws(() => runOnTruth(study, table, { algorithm: 'broken', seed: 1, budget: 10, batchSize: 2, create: asking([[{ ...d0, peRows: 5 }]]) }), /outside the space/);
  assert.throws(
    () => runOnTruth(study, table, { algorithm: 'broken', seed: 1, budget: 2, batchSize: 2, create: asking([[d0, space.designAt(1)], [space.designAt(2)]]) }),
    /more than its budget/,
  );
});

test('truth tables survive the cache round trip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sq-cache-'));
  try {
    saveTruthTable(dir, table);
    const back = loadTruthTable(dir, table.key);
    assert.ok(back);
    assert.deepEqual(back.status, table.status);
    assert.deepEqual(back.values, table.values);
    assert.deepEqual(back.violationValues, table.violationValues);
    assert.deepEqual(back.slots, table.slots);
    assert.equal(loadTruthTable(dir, 'no-such-key'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('summaries use linearly interpolated quartiles', () => {
  // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) = [1.75, 2.5, 3.25].
  assert.deepEqual(summarize([4, 1, 3, 2]), { median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4 });
  assert.equal(summarize([0.5, Infinity, Infinity]).median, Infinity);
});

test('the report states targets and comparisons from the numbers, and its sections round-trip', () => {
  const cells = runExperiment(study, table, truth, { algorithms: ['random', 'nsga2', 'marl'], seeds: [1, 2], budgets: [4, 8], batchSize: 4 });
  assert.equal(cells.length, 6);
  for (const c of cells) assert.equal(c.runs.length, 2);
  const report: SpaceReport = {
    id: 'small',
    studyFile: 'tiny.yaml',
    spaceSize: table.size,
    counts: statusCounts(table),
    frontSize: truth.points.length,
    objectives: table.objectives,
    trueHypervolume: truth.hypervolume,
    truthNote: '',
    budgetRule: 'test',
    searchers: 'test',
    batchSize: 4,
    seeds: [1, 2],
    cells,
    targetBudget: 8,
    quick: false,
  };
  const lines = verdicts(report);
  const nsgaAt8 = cells.find((c) => c.algorithm === 'nsga2' && c.budget === 8)!.hvRatio.median;
  assert.ok(lines.some((l) => l.includes(nsgaAt8 >= 0.98 ? 'Target met: nsga2' : 'Target missed: nsga2')));
  const section = renderSpaceSection(report, 'img/x.svg');
  const parsed = parseSections(`intro\n${section}\nrest`);
  assert.equal(parsed.get('small'), section);
  const data = dataOf(section)!;
  assert.deepEqual(data.budgets, [4, 8]);
  assert.equal(data.medians.nsga2![1], nsgaAt8);
  const svg = hvRatioPlotSvg(cells, { title: 'tiny' });
  assert.equal((svg.match(/<polyline/g) ?? []).length, 3);
  assert.ok(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'));
});

test('marl against nsga2 is stated from the medians, in absolute and shortfall terms', () => {
  // Hand-computed: small space shortfalls 0.2/0.1 = 2x and 0.1/0.05 = 2x; large 0.04/0.01 = 4x and 0.02/0.01 = 2x.
  const lines = marlVersusNsga2([
    { id: 'large', spaceSize: 1000, budgets: [10, 20], medians: { marl: [0.96, 0.98], nsga2: [0.99, 0.99] } },
    { id: 'small', spaceSize: 100, budgets: [1, 2], medians: { marl: [0.8, 0.9], nsga2: [0.9, 0.95] } },
  ]);
  assert.equal(lines.length, 3);
  assert.ok(lines[0]!.startsWith('- small space'), lines[0]);
  assert.ok(lines[0]!.includes('2.0×, 2.0×'), lines[0]);
  assert.ok(lines[1]!.includes('4.0×, 2.0×'), lines[1]);
  assert.ok(lines[2]!.includes("median HV ratios moves in marl's favour (−0.075 → −0.020)"), lines[2]);
  assert.ok(lines[2]!.includes('grows (median 2.0× → 3.0×)'), lines[2]);
  assert.ok(lines[2]!.endsWith('nsga2 is ahead of marl at every budget.'), lines[2]);
});
