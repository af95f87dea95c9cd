import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../core/prng.ts';
import { crossover, firstFrontSize, mutate, Nsga2, selectSurvivors, tournament, type Individual } from '../../search/nsga2.ts';
import { mixedProblem } from './synthetic-problem.ts';
import { Space } from '../../search/space.ts';

const space = new Space([
  { name: 'n', values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  { name: 'c', values: ['a', 'b', 'c', 'd'] },
  { name: 'one', values: [5] },
]);

function ind(seq: number, objectives: number[] | undefined, violation = 0): Individual {
  return { v: [0, 0, 0], objectives, violation: objectives ? violation : Infinity, seq, rank: 0, crowding: 0 };
}

test("selection follows Deb's rules: feasible by front and crowding, then infeasible by violation, failed last", () => {
  const pool = [
    ind(0, [1, 5]), // front 0
    ind(1, [2, 4]), // front 0 (interior)
    ind(2, [5, 1]), // front 0
    ind(3, [3, 3.9]), // front 0 (interior)
    ind(4, [3, 5]), // front 1
    ind(5, [0, 0], 0.5), // infeasible, small violation (its objectives would dominate everything)
    ind(6, [0, 0], 2), // infeasible, large violation
    ind(7, undefined), // failed
  ];
  const all = selectSurvivors(pool, 8);
  assert.deepEqual(all.map((p) => p.seq), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(all.map((p) => p.rank), [0, 0, 0, 0, 1, 2, 3, 4]);
  // Cutting front 0 to 3 members keeps the extremes (infinite crowding) and the less crowded
  // interior one: by hand, seq 1 has crowding (3-1)/4 + (5-3.9)/4 = 0.775, seq 3 has
  // (5-2)/4 + (4-1)/4 = 1.5.
  const three = selectSurvivors(pool, 3);
  assert.deepEqual(three.map((p) => p.seq).sort((a, b) => a - b), [0, 2, 3]);
  assert.equal(three.find((p) => p.seq === 3)!.crowding, 1.5);
  const six = selectSurvivors(pool, 6);
  assert.deepEqual(six.map((p) => p.seq), [0, 1, 2, 3, 4, 5]);
  // With no feasible members, the least violating come first.
  assert.deepEqual(selectSurvivors([ind(0, undefined), ind(1, [1, 1], 3), ind(2, [9, 9], 0.1)], 2).map((p) => p.seq), [2, 1]);
});

test('binary tournament prefers lower rank, then larger crowding distance', () => {
  const better = { ...ind(0, [0, 0]), rank: 0, crowding: 1 };
  const worse = { ...ind(1, [1, 1]), rank: 1, crowding: Infinity };
  const prng = new Prng(3);
  let wins = 0;
  for (let i = 0; i < 1000; i++) if (tournament([better, worse], prng) === better) wins++;
  // Loses only when both draws are the worse one: 1/4.
  assert.ok(wins > 700 && wins < 800, `${wins}`);
  const crowded = { ...better, seq: 2, crowding: 0.1 };
  const prng2 = new Prng(4);
  let crowdWins = 0;
  for (let i = 0; i < 1000; i++) if (tournament([better, crowded], prng2) === better) crowdWins++;
  assert.ok(crowdWins > 700 && crowdWins < 800, `${crowdWins}`);
});

test('crossover keeps children in range, takes categoricals from a parent, and spreads ordinals around the parents', () => {
  const prng = new Prng(11);
  let outside = 0;
  let changed = 0;
  for (let i = 0; i < 2000; i++) {
    const [c1, c2] = crossover(space, [2, 0, 0], [8, 3, 0], 2, prng);
    for (const c of [c1, c2]) {
      assert.ok(Number.isInteger(c[0]) && c[0]! >= 0 && c[0]! <= 10);
      assert.ok(c[1] === 0 || c[1] === 3, 'a categorical value comes from a parent');
      assert.equal(c[2], 0);
      if (c[0]! < 2 || c[0]! > 8) outside++;
      if (c[0] !== 2 && c[0] !== 8) changed++;
    }
  }
  // SBX with a small distribution index produces children between and beyond the parents.
  assert.ok(outside > 50, `${outside} children outside the parents`);
  assert.ok(changed > 200, `${changed} children with a new ordinal value`);
  // Identical parents give identical children.
  assert.deepEqual(crossover(space, [4, 1, 0], [4, 1, 0], 15, prng), [[4, 1, 0], [4, 1, 0]]);
});

test('mutation always moves a chosen parameter: ordinal by mostly small steps, categorical to another value', () => {
  const prng = new Prng(5);
  const steps: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const m = mutate(space, [5, 2, 0], 1, 20, prng);
    assert.notEqual(m[0], 5);
    assert.notEqual(m[1], 2);
    assert.ok(m[1]! >= 0 && m[1]! <= 3);
    assert.equal(m[2], 0, 'a single-valued parameter never moves');
    steps.push(Math.abs(m[0]! - 5));
  }
  const ones = steps.filter((s) => s === 1).length;
  assert.ok(ones > 1000, `${ones} of 2000 are one-position steps`);
  assert.ok(Math.max(...steps) >= 2);
  // At a bound it steps inwards.
  for (let i = 0; i < 50; i++) assert.ok(mutate(space, [0, 0, 0], 1, 100, prng)[0]! > 0);
  // pm = 0 never mutates.
  assert.deepEqual(mutate(space, [5, 2, 0], 0, 20, prng), [5, 2, 0]);
});

test('firstFrontSize counts the feasible non-dominated members only', () => {
  // [1, 5], [2, 4], [5, 1] are mutually non-dominated; [3, 5] is dominated by [2, 4]; the
  // infeasible [0, 0] and the failed member do not count.
  const pool = [ind(0, [1, 5]), ind(1, [2, 4]), ind(2, [5, 1]), ind(3, [3, 5]), ind(4, [0, 0], 0.5), ind(5, undefined)];
  assert.equal(firstFrontSize(pool), 3);
  assert.equal(firstFrontSize([ind(0, undefined)]), 0);
});

test('nsga2 fills every batch with the ask size and keeps the whole found front as parents', () => {
  const searcher = new Nsga2({ parameters: mixedProblem.parameters, fixed: {}, seed: 3, budget: 400, isAdmissible: mixedProblem.isAdmissible!, settings: { populationSize: 4 } });
  let seq = 0;
  for (let batch = 0; batch < 10; batch++) {
    const designs = searcher.ask(16);
    assert.equal(designs.length, 16, 'a generation is one full batch, whatever the population size');
    searcher.tell(designs.map((d) => ({ seq: seq++, ...mixedProblem.evaluate(d) })));
  }
  searcher.ask(16);
  const front = searcher.population.filter((p) => p.rank === 0);
  assert.ok(front.length > 4, `${front.length} front members kept with populationSize 4`);
  assert.equal(searcher.population.length, front.length);
});
