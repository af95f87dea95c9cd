import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../core/hash.ts';
import { isDseError } from '../../core/errors.ts';
import type { Design, Trial } from '../../core/types.ts';
import { createSearcher, SEARCH_ALGORITHMS } from '../../search/registry.ts';
import type { SearcherOptions } from '../../search/searcher.ts';
import { SURROGATE_GENERATORS } from '../../search/surrogate.ts';
import { allAdmissible, mixedProblem, runSearch, tinyProblem, type Problem } from './synthetic-problem.ts';

/** The surrogate searcher with each candidate generator: the Searcher contract, determinism, validation. */

function optionsFor(problem: Problem, budget: number, generator: string, seed = 7): SearcherOptions {
  return {
    parameters: problem.parameters, fixed: { clockMHz: 800 }, seed, budget,
    ...(problem.isAdmissible ? { isAdmissible: problem.isAdmissible } : {}),
    // A small pool and few trees keep the forests cheap; initialDesigns small so the model path runs early.
    settings: { generator, poolSize: 60, trees: 3, initialDesigns: 12 },
  };
}

const keyOf = (d: Design, problem: Problem): string => canonicalJson(Object.fromEntries(problem.parameters.map((p) => [p.name, d[p.name]!])));

test('the generators are every registered searcher except surrogate', () => {
  assert.deepEqual([...SURROGATE_GENERATORS].sort(), SEARCH_ALGORITHMS.filter((a) => a !== 'surrogate').sort());
});

test('an unknown generator, or surrogate itself, is a DseError naming search.options.generator', () => {
  for (const generator of ['surrogate', 'annealing', '__proto__']) {
    assert.throws(
      () => createSearcher('surrogate', optionsFor(tinyProblem, 10, generator)),
      (e: unknown) => isDseError(e) && e.path === 'search.options.generator' && /grid/.test(e.message),
      generator,
    );
  }
});

for (const generator of SURROGATE_GENERATORS) {
  test(`surrogate with generator ${generator}: inside the space, admissible, never repeated, within budget, deterministic`, () => {
    const run = (seed: number): Trial[] => {
      const searcher = createSearcher('surrogate', optionsFor(mixedProblem, 90, generator, seed));
      const trials = runSearch(searcher, mixedProblem, 15);
      assert.deepEqual(searcher.ask(5), [], 'budget spent');
      return trials;
    };
    const trials = run(3);
    assert.equal(trials.length, 90);
    const keys = trials.map((t) => keyOf(t.design, mixedProblem));
    assert.equal(new Set(keys).size, keys.length, 'a design asked twice');
    for (const t of trials) {
      assert.ok(mixedProblem.parameters.every((p) => p.values.includes(t.design[p.name]!)), `${JSON.stringify(t.design)} outside the space`);
      assert.ok(mixedProblem.isAdmissible!(t.design), `${JSON.stringify(t.design)} inadmissible`);
      assert.equal(t.design.clockMHz, 800);
    }
    assert.deepEqual(run(3).map((t) => keyOf(t.design, mixedProblem)), keys, 'same seed, same trials');
    assert.notDeepEqual(run(4).map((t) => keyOf(t.design, mixedProblem)), keys, 'another seed differs');
  });

  test(`surrogate with generator ${generator}: a space smaller than the budget is covered exactly once, then []`, () => {
    const searcher = createSearcher('surrogate', optionsFor(tinyProblem, 50, generator));
    const keys = runSearch(searcher, tinyProblem, 5).map((t) => keyOf(t.design, tinyProblem));
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual([...keys].sort(), allAdmissible(tinyProblem));
    assert.deepEqual(searcher.ask(5), []);
  });

  test(`surrogate with generator ${generator}: keeps going when asked again before a tell`, () => {
    const searcher = createSearcher('surrogate', optionsFor(mixedProblem, 80, generator));
    const seen = new Set<string>();
    let seq = 0;
    for (;;) {
      const first = searcher.ask(10);
      const second = searcher.ask(10);
      if (first.length + second.length === 0) break;
      for (const d of [...first, ...second]) {
        const k = keyOf(d, mixedProblem);
        assert.ok(!seen.has(k), `${k} asked twice`);
        seen.add(k);
      }
      searcher.tell(first.map((d) => ({ seq: seq++, ...mixedProblem.evaluate(d) })));
      searcher.tell(second.map((d) => ({ seq: seq++, hash: '', design: d, status: 'failed', error: 'worker crashed' })));
    }
    assert.equal(seen.size, 80);
  });
}

test('the generator changes what the surrogate asks once the model runs', () => {
  const after = (generator: string): string[] =>
    runSearch(createSearcher('surrogate', optionsFor(mixedProblem, 60, generator)), mixedProblem, 12).slice(12).map((t) => keyOf(t.design, mixedProblem));
  const seqs = SURROGATE_GENERATORS.map(after);
  // The first 12 (initial random designs) are shared; the model-chosen ones come from different pools.
  assert.equal(new Set(seqs.map((s) => s.join('|'))).size, SURROGATE_GENERATORS.length);
});
