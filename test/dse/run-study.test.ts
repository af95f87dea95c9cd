import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy } from '../../dse/run-study.ts';
import { loadStudy } from '../../dse/load-study.ts';

test('runStudy applies budget, seed and algorithm overrides to a loaded study too', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dse-api-'));
  const study = loadStudy('configs/quickstart.yaml');
  const a = await runStudy(study, { workers: 0, budget: 30, seed: 5, out: join(tmp, 'a') });
  assert.equal(a.counts.total, 30);
  assert.equal(a.study.spec.search.seed, 5);
  const b = await runStudy(study, { workers: 0, budget: 30, algorithm: 'grid', out: join(tmp, 'b') });
  assert.equal(b.study.spec.search.algorithm, 'grid');
  assert.equal(b.counts.total, 30);
  // The loaded study itself is unchanged.
  assert.equal(study.spec.search.budget, 800);
});
