import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exactPieces } from '../../../search/schedule/ilp-formulation.ts';
import { buildProblem, type ScheduleProblem } from '../../../search/schedule/replay.ts';
import { dagArb, dagWorkload } from './random-dag.ts';

/**
 * The definition of a cut, checked literally with ancestor sets (quadratic; the reference
 * exactPieces is compared with): every earlier op an ancestor of i, every later op a
 * descendant, and no tensor but i's output used at or before i and consumed after it.
 */
function piecesByDefinition(problem: ScheduleProblem): [number, number][] {
  const n = problem.ops.length;
  if (n === 0) return [];
  const anc = problem.ops.map(() => new Set<number>());
  problem.ops.forEach((op, i) => {
    for (const id of op.inputs) {
      const p = problem.tensors.get(id)!.producer;
      if (p < 0) continue;
      anc[i]!.add(p);
      for (const a of anc[p]!) anc[i]!.add(a);
    }
  });
  const pieces: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < n - 1; i++) {
    let isCut = true;
    for (let j = 0; j < n && isCut; j++) {
      if (j < i && !anc[i]!.has(j)) isCut = false;
      if (j > i && !anc[j]!.has(i)) isCut = false;
    }
    for (const t of problem.tensors.values()) {
      if (!isCut || t.id === problem.ops[i]!.output || t.consumers.length === 0) continue;
      const firstUse = t.producer >= 0 ? t.producer : Math.min(...t.consumers);
      if (firstUse <= i && Math.max(...t.consumers) > i) isCut = false;
    }
    if (isCut) {
      pieces.push([start, i]);
      start = i + 1;
    }
  }
  pieces.push([start, n - 1]);
  return pieces;
}

test('exactPieces (linear) finds exactly the cuts of their definition on random network-like DAGs', () => {
  let withCuts = 0;
  fc.assert(
    fc.property(dagArb(14), (spec) => {
      const problem = buildProblem(dagWorkload(spec), { capacityBytes: 64, activationBits: 8 });
      const expected = piecesByDefinition(problem);
      if (expected.length > 1) withCuts++;
      assert.deepEqual(exactPieces(problem), expected);
    }),
    { numRuns: 400, seed: 11 },
  );
  assert.ok(withCuts > 50, `${withCuts} of 400 graphs had a cut: the property exercised both outcomes`);
});
