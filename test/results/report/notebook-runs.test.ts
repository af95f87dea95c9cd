import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNotebook } from '../../../results/report/ipynb.ts';
import { modelOf } from './helpers.ts';
import { compareNotebooks } from './notebook-compare.ts';
import { executeNotebook, notebookPython, repo } from './notebook-python.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

/** The CLI from the sources. */
const DSE = join(repo, 'bin/dse-dev.js');

/**
 * The notebook runs: executed headless (nbclient) every cell completes without error, and its
 * outputs equal the stored ones (test/results/report/notebook-compare.ts says what "equal"
 * means). Two runs: a real `dse run` of the quickstart study (four objectives, front.csv
 * written by the run), and two synthetic runs of one problem compared (fronts overlaid), three objectives
 * (3-D view), no front.csv (the notebook computes the fronts) and names that try to run code
 * (nothing may be created).
 */
test('the notebook executes headless without error and reproduces its stored outputs', { timeout: 600_000 }, async (t) => {
  const py = notebookPython();
  if ('skip' in py) return void t.skip(py.skip);
  const dir = mkdtempSync(join(tmpdir(), 'nb-run-'));
  try {
    const real = join(dir, 'quickstart');
    execFileSync(process.execPath, [DSE, 'run', join(repo, 'configs/quickstart.yaml'), '--out', real, '--budget', '240', '--workers', '1', '--no-report'], { stdio: 'ignore' });
    const evil = `x\r\nopen("PWNED", "w")\n\x00\x1b[31m"""`;
    writeSyntheticRun(join(dir, 'synthetic'), { trials: 1500, seed: 21, name: evil });
    writeSyntheticRun(join(dir, 'synthetic2'), { trials: 700, seed: 22, name: evil, algorithm: 'nsga2' });
    // One run alone, and two runs of one problem compared (their fronts overlaid), in a notebook beside them.
    const cases = [{ runs: [real], at: real }, { runs: [join(dir, 'synthetic'), join(dir, 'synthetic2')], at: dir }];
    const results = await Promise.all(cases.map(async ({ runs, at }) => {
      const file = join(at, 'report.ipynb');
      execFileSync(process.execPath, [DSE, 'report', ...runs, '-o', file], { stdio: 'ignore' });
      return { run: runs.join(' '), file, ...executeNotebook(py.python, file, at) };
    }));
    for (const r of results) {
      assert.ok(r.ok, `${r.run}: ${'error' in r ? r.error : ''}`);
      const diffs = compareNotebooks(JSON.parse(readFileSync(r.file, 'utf8')), JSON.parse(r.notebook));
      assert.deepEqual(diffs, [], `${r.run}: stored outputs differ from a fresh run`);
    }
    const created = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('PWNED'));
    assert.deepEqual(created, [], 'a name ran as code');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('renderNotebook names the runs relative to the notebook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nb-rel-'));
  try {
    const run = writeSyntheticRun(join(dir, 'runs', 'a'), { trials: 100, seed: 2 });
    const nb = renderNotebook(modelOf([run]), { notebookDir: dir });
    const data = JSON.parse(nb).cells.find((c: { id: string }) => c.id === 'report-data').source.join('') as string;
    assert.ok(data.includes('\\"runs\\":[\\"runs/a\\"]'), data.slice(0, 300));
    assert.equal(existsSync(join(dir, 'x')), false);
    writeFileSync(join(dir, 'nb.ipynb'), nb);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
