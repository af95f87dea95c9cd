import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../../../core/prng.ts';
import { conditionsOf, encodeDesign, featureSpaceOf, MAX_LEVELS, satisfies } from '../../../results/report/design-features.ts';
import { driversOf, type DriverTrial } from '../../../results/report/drivers.ts';

/*
 * A numeric parameter with thousands of values enters the trees as MAX_LEVELS levels, and a
 * tree's split still reads back as a condition on the parameter's own values that holds for
 * exactly the designs the split sends that way.
 */

const prng = new Prng(11);
const designs = Array.from({ length: 3000 }, () => ({ dramGBps: 1 + Math.floor(prng.next() * 5000), peRows: prng.pick([8, 16, 32]), dataflow: prng.pick(['os', 'ws']) }));
const space = featureSpaceOf(['dramGBps', 'peRows', 'dataflow'], designs, new Map());

test('a many-valued parameter is encoded as at most MAX_LEVELS levels, each a value seen; a few-valued one as itself', () => {
  const col = space.columns.findIndex((c) => c.parameter === 'dramGBps');
  const encoded = new Set(designs.map((d) => encodeDesign(space, d)[col]!));
  const seen = new Set(designs.map((d) => d.dramGBps));
  assert.ok(seen.size > 1000);
  assert.ok(encoded.size <= MAX_LEVELS && encoded.size > MAX_LEVELS / 2, `${encoded.size} levels`);
  for (const v of encoded) assert.ok(seen.has(v), `level ${v} is a value of the parameter`);
  for (const d of designs) assert.ok(encodeDesign(space, d)[col]! <= d.dramGBps);
  const pe = space.columns.findIndex((c) => c.parameter === 'peRows');
  for (const d of designs) assert.equal(encodeDesign(space, d)[pe], d.peRows);
});

test('a split at any threshold reads back as a condition that holds for exactly the designs on its side', () => {
  const col = space.columns.findIndex((c) => c.parameter === 'dramGBps');
  const levels = [...new Set(designs.map((d) => encodeDesign(space, d)[col]!))].sort((a, b) => a - b);
  // Thresholds as ml-cart makes them (the mean of two neighbouring encoded values), also skipping levels.
  const thresholds = levels.slice(1).flatMap((v, k) => [(levels[k]! + v) / 2, ...(k + 3 < levels.length ? [(levels[k]! + levels[k + 3]!) / 2] : [])]);
  for (const threshold of thresholds) {
    for (const greaterOrEqual of [true, false]) {
      const conditions = conditionsOf(space, [{ column: col, threshold, greaterOrEqual }]);
      for (const d of designs) {
        const routed = encodeDesign(space, d)[col]! >= threshold === greaterOrEqual;
        assert.equal(satisfies(d, conditions), routed, `threshold ${threshold} ${greaterOrEqual ? '>=' : '<'}: dramGBps ${d.dramGBps}`);
      }
    }
  }
});

test('design rules find a planted rule on a many-valued parameter, to within a level', () => {
  // The front: designs with dramGBps >= 3000 and dataflow = os, trading latency against energy.
  const trials: DriverTrial[] = designs.map((design, i) => {
    const u = prng.next();
    const planted = design.dramGBps >= 3000 && design.dataflow === 'os';
    return { hash: `h${i}`, design, objectives: planted ? [1 + u, 2 - u] : [1.5 + u, 2.5 - u] };
  });
  const front = trials.filter((t) => (t.design.dramGBps as number) >= 3000 && t.design.dataflow === 'os');
  const d = driversOf({ parameters: ['dramGBps', 'peRows', 'dataflow'], objectives: ['latencyS', 'energyPJ'], domains: new Map(), front, sample: trials })!;
  const rule = d.rules[0]!;
  const bound = rule.conditions.find((c) => c.parameter === 'dramGBps')!;
  assert.deepEqual(rule.conditions.find((c) => c.parameter === 'dataflow')!.values, ['os']);
  assert.equal(bound.max, Math.max(...designs.map((x) => x.dramGBps)), 'no upper bound');
  assert.ok(Math.abs(bound.min! - 3000) <= 5000 / MAX_LEVELS, `lower bound ${bound.min} within a level of 3000`);
  assert.equal(rule.frontCovered, front.filter((t) => satisfies(t.design, rule.conditions)).length);
});
