import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frontHashes, journalTrials, runCli } from './cli-helpers.ts';
import { SEARCH_ALGORITHMS } from '../../search/registry.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dse-algos-'));

/** The quickstart with another searcher: a copy of the study would drift, so override on the CLI. */
for (const algorithm of SEARCH_ALGORITHMS) {
  test(`dse run with ${algorithm} on the quickstart gives the same trials with 1 and 2 workers`, () => {
    const runs = [1, 2].map((workers) => {
      const dir = join(tmp, `${algorithm}-${workers}`);
      const r = runCli(['run', 'configs/quickstart.yaml', '--algorithm', algorithm, '--budget', '150', '--workers', String(workers), '--out', dir, '--no-report']);
      assert.equal(r.code, 0, r.stderr);
      return dir;
    });
    const [a, b] = runs.map((d) => journalTrials(join(d!, 'journal.jsonl')));
    assert.equal(a!.size, 150);
    assert.deepEqual([...a!.entries()].sort(), [...b!.entries()].sort());
    assert.deepEqual(frontHashes(runs[0]!), frontHashes(runs[1]!));
  });
}
