import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { journalSizeWarning, LARGE_JOURNAL_BYTES } from '../../dse/journal-size.ts';
import { runStudy } from '../../dse/run-study.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dse-size-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('a journal estimate above the limit or the free space warns, with the numbers', () => {
  assert.equal(journalSizeWarning({ dir: tmp, bytesPerTrial: 700, trialsLeft: 1000 }), undefined);
  const w = journalSizeWarning({ dir: tmp, bytesPerTrial: 700, trialsLeft: 1e9 });
  // 700 bytes x 1e9 = 7e11 bytes = 652 GiB.
  assert.match(w ?? '', /about 652 GiB more of journal \(1,000,000,000 trials at ~700 bytes each/);
  assert.ok(700 * 1e9 > LARGE_JOURNAL_BYTES);
});

test('--budget 1e9 warns after the first batch, and the run can stop there', async () => {
  const layers = fileURLToPath(new URL('../../configs/workloads/residual-cnn.yaml', import.meta.url));
  const study = join(tmp, 'huge.yaml');
  writeFileSync(
    study,
    `name: huge
workloads: [${JSON.stringify(layers)}]
space: {peRows: {int: {min: 1, max: 4096}}, peCols: {int: {min: 1, max: 4096}}, glbKiB: {int: {min: 1, max: 1000}}}
objectives: [latencyS, energyPJ]
search: {algorithm: random, budget: 1000000000, seed: 1, batchSize: 8}
`,
  );
  const warnings: string[] = [];
  const controller = new AbortController();
  const r = await runStudy(study, {
    out: join(tmp, 'run'),
    workers: 0,
    signal: controller.signal,
    onWarning: (m) => {
      warnings.push(m);
      controller.abort();
    },
  });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /[GT]iB more of journal \(999,999,99\d trials/);
  assert.ok(r.interrupted && r.counts.total <= 16, `${r.counts.total} trials`);
});
