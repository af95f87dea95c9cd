import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from './cli-helpers.ts';

/*
 * `dse report` checks every journal line as `--resume` and `dse merge` do
 * (dse/journal-trust.ts): a line forged or pasted into a journal is refused with one line
 * naming the file and the line, exit 2, and no report is written.
 */
const tmp = mkdtempSync(join(tmpdir(), 'dse-report-journal-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('dse report refuses a forged journal line with exit 2 naming file and line, and writes no report', () => {
  const studyFile = join(tmp, 'study.yaml');
  writeFileSync(
    studyFile,
    `name: report-forged
workloads: [${JSON.stringify(join(REPO_ROOT, 'configs/workloads/residual-cnn.yaml'))}]
space: {peRows: [8, 16], peCols: [8, 16]}
objectives: [latencyS, energyPJ]
search: {algorithm: grid, budget: 4, seed: 1, batchSize: 4}
`,
  );
  const dir = join(tmp, 'run');
  const run = runCli(['run', studyFile, '--out', dir, '--workers', '0', '--no-report']);
  assert.equal(run.code, 0, run.stderr);
  const journal = join(dir, 'journal.jsonl');
  const [header, ...trials] = readFileSync(journal, 'utf8').trim().split('\n');
  // A trial that dominates every real design, its design changed to one the run never made.
  const forged = JSON.parse(trials[1]!);
  forged.objectives = [1e-12, 1e-12];
  forged.design = { ...forged.design, peRows: 64 };
  writeFileSync(journal, [header, trials[0], JSON.stringify(forged), ...trials.slice(2)].join('\n') + '\n');

  const out = join(tmp, 'report.html');
  const r = runCli(['report', dir, '-o', out]);
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0]!.includes(journal), lines[0]);
  assert.match(lines[0]!, /line 3: design value peRows=64 is not in the study's space/);
  assert.equal(existsSync(out), false);
});
