import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../core/prng.ts';
import { discreteData, RegressionForest, RegressionTree } from '../../search/regression-tree.ts';

/** y = x0 * x1 + effect[category]: a known function of two ordinal features and one categorical. */
const effect = [5, -3, 0, 11, 2];
const f = (x: readonly number[]): number => x[0]! * x[1]! + effect[x[2]!]!;
const cards = [8, 6, 5, 3];
const categorical = [false, false, true, false];

function grid(): number[][] {
  const rows: number[][] = [];
  for (let a = 0; a < 8; a++) for (let b = 0; b < 6; b++) for (let c = 0; c < 5; c++) for (let d = 0; d < 3; d++) rows.push([a, b, c, d]);
  return rows;
}

test('a deep tree fits a known function of discrete features exactly on the full grid', () => {
  const X = grid();
  const tree = RegressionTree.fit(discreteData(X, X.map(f), cards, categorical), { maxDepth: 20, minLeaf: 1 });
  for (const x of X) assert.equal(tree.predict(x), f(x));
  // The irrelevant feature x3 is never needed: at most 8 * 6 * 5 leaves, so < 2 * 240 nodes.
  assert.ok(tree.nodeCount < 480, `${tree.nodeCount} nodes`);
});

test('a categorical feature splits by subsets: one split separates {3} from the rest', () => {
  const X = Array.from({ length: 5 }, (_, c) => [0, 0, c, 0]);
  const y = X.map((x) => (x[2] === 3 ? 10 : 0));
  const stump = RegressionTree.fit(discreteData(X, y, cards, categorical), { maxDepth: 1, minLeaf: 1 });
  assert.equal(stump.nodeCount, 3);
  for (const x of X) assert.equal(stump.predict(x), x[2] === 3 ? 10 : 0);
});

test('a forest trained on half the grid predicts the other half well (R^2 > 0.9)', () => {
  const prng = new Prng(8);
  const X = prng.shuffle(grid());
  const train = X.slice(0, X.length / 2);
  const held = X.slice(X.length / 2);
  const forest = RegressionForest.fit(discreteData(train, train.map(f), cards, categorical), { trees: 10, minLeaf: 1 }, 3);
  const mean = held.reduce((s, x) => s + f(x), 0) / held.length;
  let ssRes = 0;
  let ssTot = 0;
  for (const x of held) {
    ssRes += (forest.predict(x) - f(x)) ** 2;
    ssTot += (f(x) - mean) ** 2;
  }
  const r2 = 1 - ssRes / ssTot;
  assert.ok(r2 > 0.9, `R^2 = ${r2.toFixed(3)}`);
  assert.throws(() => discreteData([[8, 0, 0, 0]], [1], cards), RangeError);
});
