import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSearcher } from '../../search/registry.ts';
import { hypervolume2d, largeProblem, runSearch } from './synthetic-problem.ts';

/**
 * Sanity check of search quality on an 8.4-million-design ZDT1-like problem: with 300
 * evaluations, the learning searchers reach a clearly larger hypervolume than random
 * sampling (median over 3 seeds). The true front (g = 1) has hypervolume
 * 1.1 * 6 - integral_0^1 (1 - sqrt t) dt = 6.6 - 1/3 ~ 6.27 against the reference (1.1, 6).
 */
function medianHypervolume(algorithm: string): number {
  const hvs = [1, 2, 3].map((seed) => {
    const searcher = createSearcher(algorithm, { parameters: largeProblem.parameters, fixed: {}, seed, budget: 300 });
    return hypervolume2d(runSearch(searcher, largeProblem, 20), [1.1, 6]);
  });
  return hvs.sort((a, b) => a - b)[1]!;
}

test('nsga2 and marl beat random search on hypervolume at the same budget', () => {
  const random = medianHypervolume('random');
  const nsga2 = medianHypervolume('nsga2');
  const marl = medianHypervolume('marl');
  assert.ok(random > 0 && nsga2 < 6.27 && marl < 6.27);
  assert.ok(nsga2 > random * 1.05, `nsga2 ${nsga2.toFixed(3)} vs random ${random.toFixed(3)}`);
  assert.ok(marl > random * 1.05, `marl ${marl.toFixed(3)} vs random ${random.toFixed(3)}`);
});
