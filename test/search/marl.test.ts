import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../core/prng.ts';
import { Marl } from '../../search/marl.ts';
import { paretoRankUtilities } from '../../search/pareto-utility.ts';
import { ScalarizedReward } from '../../search/scalarized-reward.ts';
import { SoftmaxPolicy } from '../../search/softmax-policy.ts';
import { stableHash } from '../../core/hash.ts';

test('REINFORCE with a fixed reward for one action concentrates the policy on it', () => {
  const policy = new SoftmaxPolicy(5, 1);
  const prng = new Prng(1);
  const context = [1];
  let baseline = 0;
  for (let step = 0; step < 400; step++) {
    const a = policy.sample(context, prng);
    const r = a === 3 ? 1 : 0;
    policy.update(context, a, r - baseline, 0.5, 0.01);
    baseline = 0.9 * baseline + 0.1 * r;
  }
  const p = policy.probabilities(context);
  assert.ok(p[3]! > 0.9, `p = ${p.map((x) => x.toFixed(3)).join(' ')}`);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('the gradient step matches the analytic softmax gradient', () => {
  // From uniform logits over 4 actions, one step with advantage A on action 1 changes logit k
  // by lr * A * ([k = 1] - 1/4) (the entropy gradient is 0 at the uniform policy).
  const policy = new SoftmaxPolicy(4, 2);
  policy.update([1, 0.5], 1, 2, 0.1, 1);
  const expected = [-0.05, 0.15, -0.05, -0.05];
  for (let k = 0; k < 4; k++) {
    assert.ok(Math.abs(policy.weights[k * 2]! - expected[k]!) < 1e-12);
    assert.ok(Math.abs(policy.weights[k * 2 + 1]! - expected[k]! * 0.5) < 1e-12);
  }
});

test('the entropy bonus pulls a peaked policy back towards uniform', () => {
  const policy = new SoftmaxPolicy(3, 1);
  policy.weights[0] = 3;
  const before = policy.probabilities([1])[0]!;
  for (let i = 0; i < 50; i++) policy.update([1], 0, 0, 0.5, 1);
  assert.ok(policy.probabilities([1])[0]! < before - 0.1);
});

test('a contextual policy learns a different action for each weight vector', () => {
  const policy = new SoftmaxPolicy(3, 3);
  const prng = new Prng(2);
  for (let step = 0; step < 3000; step++) {
    const w0 = prng.next();
    const context = [1, w0, 1 - w0];
    const a = policy.sample(context, prng);
    const target = w0 > 0.5 ? 0 : 2; // the rewarded action depends on what the agent observes
    policy.update(context, a, a === target ? 1 : -0.5, 0.3, 0.001);
  }
  assert.ok(policy.probabilities([1, 0.95, 0.05])[0]! > 0.8);
  assert.ok(policy.probabilities([1, 0.05, 0.95])[2]! > 0.8);
});

test('rewards: Chebyshev in [-(1 + rho), 0] for feasible trials, penalties below, less violation better', () => {
  const r = new ScalarizedReward(0.05, 'log');
  for (const o of [[1, 100], [10, 10], [100, 1]]) r.observe(o);
  assert.equal(r.feasible([1, 1], [0.5, 0.5]), -0, 'the ideal point gets the best reward');
  // [10, 10] normalises to [0.5, 0.5] in log space: g = max(0.25, 0.25) + 0.05 * 0.5.
  assert.ok(Math.abs(r.feasible([10, 10], [0.5, 0.5]) - -(0.25 + 0.025)) < 1e-12);
  // A weight on the first objective prefers the point that is good in it.
  assert.ok(r.feasible([1, 100], [0.9, 0.1]) > r.feasible([100, 1], [0.9, 0.1]));
  const worstFeasible = r.feasible([100, 100], [0.5, 0.5]);
  assert.ok(worstFeasible >= -1.05);
  assert.ok(r.infeasible(0.01) < worstFeasible);
  assert.ok(r.infeasible(10) < r.infeasible(0.01));
  assert.ok(r.failed() <= r.infeasible(1e9));
});

test('marl: agents learn the rewarded value of each parameter from shared rewards', () => {
  // Single objective: cost = number of parameters away from value 2; 6^3 = 216 designs, 120 trials.
  const parameters = ['p', 'q', 'r'].map((name) => ({ name, values: [0, 1, 2, 3, 4, 5] }));
  const searcher = new Marl({ parameters, fixed: {}, seed: 4, budget: 120, settings: { objectiveScale: 'linear' } });
  let seq = 0;
  for (;;) {
    const designs = searcher.ask(10);
    if (designs.length === 0) break;
    searcher.tell(designs.map((d) => {
      const cost = ['p', 'q', 'r'].filter((k) => d[k] !== 2).length;
      return { seq: seq++, hash: stableHash(d), design: d, status: 'ok' as const, objectives: [cost] };
    }));
  }
  const policies = searcher.policies!;
  for (const policy of policies) {
    const p = policy.probabilities([1, 1]);
    const best = p.indexOf(Math.max(...p));
    assert.equal(best, 2, `probabilities ${p.map((x) => x.toFixed(2)).join(' ')}`);
  }
});

test('marl on a parameter of 100,000 values: each agent has at most maxActions actions (bins of neighbouring values) and learns the good bin', () => {
  // cost = distance of x from 73,000 (in units of the range); 10^5 x 3 designs. The agent of x
  // acts on 64 bins of about 1,563 values; the bin holding 73,000 is bin floor(73000 * 64 / 10^5) = 46.
  const x = { name: 'x', values: Array.from({ length: 100_000 }, (_, i) => i + 1) };
  const mode = { name: 'mode', values: ['a', 'b', 'c'] };
  const searcher = new Marl({ parameters: [x, mode], fixed: {}, seed: 3, budget: 600, settings: { objectiveScale: 'linear' } });
  let seq = 0;
  const asked = new Set<string>();
  for (;;) {
    const designs = searcher.ask(20);
    if (designs.length === 0) break;
    for (const d of designs) {
      assert.ok(x.values.includes(d.x as number) && mode.values.includes(d.mode as string));
      asked.add(stableHash(d));
    }
    searcher.tell(designs.map((d) => ({ seq: seq++, hash: stableHash(d), design: d, status: 'ok' as const, objectives: [Math.abs((d.x as number) - 73_000) / 1e5 + (d.mode === 'b' ? 0 : 0.5)] })));
  }
  assert.equal(asked.size, 600, 'no design asked twice');
  const [px, pmode] = searcher.policies!.map((policy) => policy.probabilities([1, 1]));
  assert.equal(px!.length, 64);
  assert.equal(pmode!.length, 3, 'a categorical parameter keeps every value as an action');
  // Within a bin of the best (neighbouring bins differ by 0.016 in cost), and far from uniform (3/64 = 0.05).
  const best = px!.indexOf(Math.max(...px!));
  assert.ok(Math.abs(best - 46) <= 1, `most likely bin ${best}`);
  assert.ok(px![45]! + px![46]! + px![47]! > 0.3, `p(45..47) = ${px![45]! + px![46]! + px![47]!}`);
  assert.equal(pmode!.indexOf(Math.max(...pmode!)), 1);
});

test('rank utilities: front first (tie-break inside it), then dominated, infeasible by violation, failed last; mean 0, sd 1', () => {
  const u = paretoRankUtilities([
    { objectives: [3, 3], violation: 0, tieBreak: 0 }, // dominated by [1, 2]: second front
    { objectives: [1, 2], violation: 0, tieBreak: 0.5 }, // first front, worse tie-break
    { objectives: [2, 1], violation: 0, tieBreak: 0.1 }, // first front, better tie-break
    { objectives: undefined, violation: Infinity, tieBreak: 0 }, // failed
    { objectives: [0, 0], violation: 2, tieBreak: 0 }, // infeasible, large violation
    { objectives: [0, 0], violation: 0.1, tieBreak: 0 }, // infeasible, small violation
  ]);
  // Order: 2, 1, 0, 5, 4, 3. Raw utility at position i of 6: max(0, log 4 - log(i + 1)).
  const raw = [Math.log(4), Math.log(2), Math.log(4 / 3), 0, 0, 0];
  const mean = raw.reduce((a, b) => a + b, 0) / 6;
  const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / 6);
  const expected = [2, 1, 0, 5, 4, 3].map((_, pos) => (raw[pos]! - mean) / sd);
  const byIndex = [expected[2], expected[1], expected[0], expected[5], expected[4], expected[3]];
  byIndex.forEach((e, i) => assert.ok(Math.abs(u[i]! - e!) < 1e-12, `outcome ${i}: ${u[i]} vs ${e}`));
  assert.ok(u[2]! > u[1]! && u[1]! > u[0]!);
  assert.ok(Math.abs(u.reduce((a, b) => a + b, 0)) < 1e-12);
  // Nothing to learn when every outcome ties.
  assert.deepEqual(paretoRankUtilities([{ objectives: undefined, violation: Infinity, tieBreak: 0 }]), [0]);
});
