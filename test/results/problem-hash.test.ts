import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerProblemHash, problemHash, PROBLEM_FIELDS } from '../../results/problem-hash.ts';
import { studyFromObject } from '../../dse/load-study.ts';

const raw = {
  name: 'p',
  workloads: ['resnet18'],
  space: { peRows: [8, 16], dataflow: { categorical: ['os', 'ws'] } },
  fixed: { clockMHz: 800 },
  objectives: ['latencyS', 'energyPJ'],
  constraints: { areaMM2: { max: 10 } },
  search: { algorithm: 'random', budget: 10, seed: 1, batchSize: 5 },
};
const spec = studyFromObject(raw).spec;

test('the problem hash ignores the name, description and every search setting', () => {
  const h = problemHash(spec, '1.0.0');
  const relabelled = studyFromObject({ ...raw, name: 'q', description: 'other words', search: { algorithm: 'nsga2', budget: 40, seed: 9, batchSize: 8 } }).spec;
  assert.equal(problemHash(relabelled, '1.0.0'), h);
});

test('the problem hash changes with each problem field and with the accel-dse version', () => {
  const h = problemHash(spec, '1.0.0');
  assert.notEqual(problemHash(spec, '1.0.1'), h);
  const variants: Record<(typeof PROBLEM_FIELDS)[number], Record<string, unknown>> = {
    workloads: { workloads: ['resnet50'] },
    aggregate: { aggregate: 'weighted' },
    space: { space: { peRows: [8, 16, 32], dataflow: { categorical: ['os', 'ws'] } } },
    fixed: { fixed: { clockMHz: 1000 } },
    objectives: { objectives: ['latencyS', 'areaMM2'] },
    constraints: { constraints: { areaMM2: { max: 12 } } },
    schedule: { schedule: { solver: 'jslp' } },
    mixedPrecision: { mixedPrecision: { choices: [{ weightBits: 4, activationBits: 8 }] } },
    // (these two are set on the normalised study: a flat study refuses them)
    architecture: { architecture: { preset: 'gemmini-like' } },
    mapper: { mapper: { objective: 'latency' } },
  };
  for (const [field, change] of Object.entries(variants)) {
    const changed = field === 'architecture' || field === 'mapper' ? { ...spec, ...change } : studyFromObject({ ...raw, ...change }).spec;
    assert.notEqual(problemHash(changed, '1.0.0'), h, field);
  }
});

test('a journal header without a problem hash gets the one its study and version give', () => {
  const stored = problemHash(spec, '0.1.0');
  const base = { study: spec, version: '0.1.0' };
  assert.equal(headerProblemHash(base), stored);
  assert.equal(headerProblemHash({ ...base, problemHash: 'given0000000000f' }), 'given0000000000f');
});
