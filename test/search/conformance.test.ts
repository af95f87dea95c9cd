import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../core/hash.ts';
import { isDseError } from '../../core/errors.ts';
import type { Design, Trial } from '../../core/types.ts';
import { createSearcher, SEARCH_ALGORITHMS } from '../../search/registry.ts';
import type { SearcherOptions } from '../../search/searcher.ts';
import { allAdmissible, mixedProblem, runSearch, tinyProblem, type Problem } from './synthetic-problem.ts';

/** The Searcher contract of search/searcher.ts, checked for every registered algorithm. */

function optionsFor(problem: Problem, budget: number, seed = 7, extra: Partial<SearcherOptions> = {}): SearcherOptions {
  return { parameters: problem.parameters, fixed: { clockMHz: 800 }, seed, budget, ...(problem.isAdmissible ? { isAdmissible: problem.isAdmissible } : {}), ...extra };
}

function searchKey(d: Design, problem: Problem): string {
  const own: Design = {};
  for (const p of problem.parameters) own[p.name] = d[p.name]!;
  return canonicalJson(own);
}

function inSpace(d: Design, problem: Problem): boolean {
  return problem.parameters.every((p) => p.values.includes(d[p.name]!));
}

for (const algorithm of SEARCH_ALGORITHMS) {
  test(`${algorithm}: designs inside the space, admissible, fixed values merged, never repeated, within budget`, () => {
    const budget = 300;
    const searcher = createSearcher(algorithm, optionsFor(mixedProblem, budget));
    const seen = new Set<string>();
    let total = 0;
    let statuses = { ok: 0, infeasible: 0, failed: 0 };
    for (;;) {
      const designs = searcher.ask(25);
      assert.ok(designs.length <= 25);
      if (designs.length === 0) break;
      const told: Trial[] = designs.map((d, i) => ({ seq: total + i, ...mixedProblem.evaluate(d) }));
      for (const d of designs) {
        assert.ok(inSpace(d, mixedProblem), `${JSON.stringify(d)} is outside the space`);
        assert.ok(mixedProblem.isAdmissible!(d), `${JSON.stringify(d)} is inadmissible`);
        assert.equal(d.clockMHz, 800);
        const k = searchKey(d, mixedProblem);
        assert.ok(!seen.has(k), `${k} asked twice`);
        seen.add(k);
      }
      for (const t of told) statuses[t.status]++;
      total += designs.length;
      searcher.tell(told);
    }
    assert.equal(total, budget);
    assert.deepEqual(searcher.ask(10), [], 'stays finished');
    if (algorithm !== 'grid') {
      // The problem's failed and infeasible designs were met and told (grid's first 300 hold no failures).
      assert.ok(statuses.infeasible > 0 || statuses.failed > 0, JSON.stringify(statuses));
    }
  });

  test(`${algorithm}: the same seed gives the same trials; another seed differs`, () => {
    const run = (seed: number): string[] => runSearch(createSearcher(algorithm, optionsFor(mixedProblem, 100, seed)), mixedProblem, 16).map((t) => searchKey(t.design, mixedProblem));
    const a = run(3);
    assert.equal(a.length, 100);
    assert.deepEqual(run(3), a);
    if (algorithm !== 'grid') assert.notDeepEqual(run(4), a);
  });

  test(`${algorithm}: a space smaller than the budget is covered exactly once, then []`, () => {
    const searcher = createSearcher(algorithm, optionsFor(tinyProblem, 50));
    const trials = runSearch(searcher, tinyProblem, 5);
    const keys = trials.map((t) => searchKey(t.design, tinyProblem));
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual([...keys].sort(), allAdmissible(tinyProblem));
    assert.deepEqual(searcher.ask(5), []);
  });

  test(`${algorithm}: exhausts the admissible designs of the mixed space when the budget exceeds them`, () => {
    const trials = runSearch(createSearcher(algorithm, optionsFor(mixedProblem, 2500)), mixedProblem, 64);
    const keys = trials.map((t) => searchKey(t.design, mixedProblem)).sort();
    assert.deepEqual(keys, allAdmissible(mixedProblem));
  });

  test(`${algorithm}: keeps going when every trial fails, and when asked again before a tell`, () => {
    const searcher = createSearcher(algorithm, optionsFor(mixedProblem, 120));
    const seen = new Set<string>();
    let seq = 0;
    for (;;) {
      // Two asks in a row (a pipelined loop), then both outcomes told as failures without objectives.
      const first = searcher.ask(20);
      const second = searcher.ask(20);
      const designs = [...first, ...second];
      if (first.length === 0) assert.equal(second.length, 0);
      if (designs.length === 0) break;
      for (const d of designs) {
        const k = searchKey(d, mixedProblem);
        assert.ok(!seen.has(k), `${k} asked twice`);
        seen.add(k);
      }
      searcher.tell(first.map((d) => ({ seq: seq++, hash: '', design: d, status: 'failed', error: 'worker crashed' })));
      searcher.tell(second.map((d) => ({ seq: seq++, hash: '', design: d, status: 'infeasible', objectives: [NaN, 1] })));
    }
    assert.equal(seen.size, 120);
  });
}

test('adaptive searchers split the budget between shard islands; grid and random split the sequence', () => {
  for (const algorithm of SEARCH_ALGORITHMS) {
    let total = 0;
    for (let index = 0; index < 3; index++) {
      total += runSearch(createSearcher(algorithm, optionsFor(mixedProblem, 100, 7, { shard: { index, count: 3 } })), mixedProblem, 16).length;
    }
    assert.equal(total, 100, algorithm);
  }
});

test('an unknown algorithm or setting is a DseError naming the field', () => {
  assert.throws(
    () => createSearcher('annealing', optionsFor(tinyProblem, 10)),
    (e: unknown) => isDseError(e) && e.path === 'search.algorithm' && /random/.test(e.message),
  );
  for (const algorithm of SEARCH_ALGORITHMS) {
    assert.throws(
      () => createSearcher(algorithm, optionsFor(tinyProblem, 10, 1, { settings: { populationSise: 8 } })),
      (e: unknown) => isDseError(e) && e.path.startsWith('search.options'),
      algorithm,
    );
  }
  assert.throws(
    () => createSearcher('nsga2', optionsFor(tinyProblem, 10, 1, { settings: { populationSize: 2 } })),
    (e: unknown) => isDseError(e) && e.path === 'search.options.populationSize',
  );
});
