import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournalWriter, readJournal } from '../../results/journal.ts';
import { readFront, writeRunOutputs } from '../../results/run-outputs.ts';
import { paretoFront } from '../../results/pareto-front.ts';
import type { JournalHeader, Trial } from '../../core/types.ts';
import { DSE_BIN } from './cli-helpers.ts';
import { designHash } from '../../dse/evaluate-design.ts';

/**
 * `dse baseline`, `dse check` and `dse merge` through the real CLI, on run
 * directories written here with JournalWriter and writeRunOutputs.
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = DSE_BIN;

const study = {
  name: 'e2e-check',
  workloads: [{ name: 'resnet18', params: {}, weight: 1 }],
  space: { peRows: { values: [8, 16, 32] }, dataflow: { categorical: ['os', 'ws'] } },
  fixed: { clockMHz: 1000 },
  objectives: ['latencyS', 'energyPJ'],
  constraints: { areaMM2: { max: 10 } },
  search: { algorithm: 'grid', budget: 6, seed: 1, batchSize: 4, options: {} },
};

function header(studyHash = 'e2e0000000000001', shard?: { index: number; count: number }): JournalHeader {
  return {
    type: 'header',
    study,
    studyHash,
    seed: 1,
    version: '0.1.0',
    objectives: ['latencyS', 'energyPJ'],
    createdAt: '2024-05-01T00:00:00.000Z',
    ...(shard ? { shard } : {}),
  };
}

/** A trial with its real design hash: journals are checked on merge (dse/journal-trust.ts). */
function ok(peRows: number, dataflow: string, latencyS: number, energyPJ: number): Trial {
  const design = { peRows, dataflow, clockMHz: 1000 };
  return { seq: 0, hash: designHash(design), design, status: 'ok', metrics: { latencyS, energyPJ, areaMM2: peRows / 4 }, objectives: [latencyS, energyPJ] };
}

const A = ok(8, 'ws', 4e-3, 1e6);
const B = ok(16, 'ws', 2e-3, 2e6);
const C = ok(32, 'ws', 1e-3, 4e6);
const dominated = ok(16, 'os', 3e-3, 3e6);
const infeasible: Trial = { ...ok(32, 'os', 5e-4, 5e5), status: 'infeasible', violations: [{ name: 'areaMM2', value: 12, limit: 10, kind: 'max' }] };
const failedDesign = { peRows: 8, dataflow: 'os', clockMHz: 1000 };
const failed: Trial = { seq: 0, hash: designHash(failedDesign), design: failedDesign, status: 'failed', error: 'schedule timed out' };

function writeRun(dir: string, trials: Trial[], h: JournalHeader = header()): string {
  mkdirSync(dir, { recursive: true });
  const numbered = trials.map((t, seq) => ({ ...t, seq }));
  const w = JournalWriter.create(join(dir, 'journal.jsonl'), h);
  w.append(numbered);
  w.close();
  const counts = { total: numbered.length, ok: 0, infeasible: 0, failed: 0 };
  for (const t of numbered) counts[t.status]++;
  writeRunOutputs(dir, { header: h, front: paretoFront(numbered), counts, elapsedS: 1.5 });
  return dir;
}

function dse(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('baseline, then check: 0 within tolerance, 1 on regression, 2 on bad input', () => {
  const root = mkdtempSync(join(tmpdir(), 'dse-check-e2e-'));
  try {
    const base = writeRun(join(root, 'base'), [A, B, dominated, C, infeasible, failed]);
    // The run outputs themselves.
    const front = readFront(base);
    assert.deepEqual(front.front.map((t) => t.hash).sort(), [A.hash, B.hash, C.hash].sort());
    assert.deepEqual(front.counts, { total: 6, ok: 4, infeasible: 1, failed: 1 });
    const csv = readFileSync(join(base, 'front.csv'), 'utf8').split('\n');
    assert.equal(csv[0], 'seq,hash,knee,peRows,dataflow,clockMHz,latencyS,energyPJ,areaMM2');
    assert.equal(csv.length, 5); // header, 3 points, final newline
    // The knee: normalised to the front, A is (1, 0), B (1/3, 1/3), C (0, 1); B is closest to the ideal (0, 0).
    assert.equal(front.knee, B.hash);
    assert.deepEqual(front.front.filter((t) => (t as { knee?: boolean }).knee).map((t) => t.hash), [B.hash]);
    assert.deepEqual(csv.slice(1, 4).map((l) => l.split(',').slice(1, 3).join(',')), [`${C.hash},0`, `${B.hash},1`, `${A.hash},0`]);
    const summaryMd = readFileSync(join(base, 'summary.md'), 'utf8');
    assert.match(summaryMd, /# e2e-check/);
    assert.match(summaryMd, /budget used: 6 of 6 designs \(4 feasible, 1 infeasible, 1 failed\)/);
    assert.match(summaryMd, new RegExp(`\\| latencyS \\| 0\\.001 \\| \`${C.hash}\` \\|`));
    assert.match(summaryMd, new RegExp(`## Knee\\n[\\s\\S]*\`${B.hash}\` \\| 0\\.002 \\| 2e\\+6 \\|`));

    const blFile = join(root, 'front.baseline.json');
    const made = dse(['baseline', base, '-o', blFile]);
    assert.equal(made.code, 0, made.stderr);
    assert.ok(existsSync(blFile));

    const stepSummary = join(root, 'step-summary.md');
    const junit = join(root, 'junit.xml');
    const mdFile = join(root, 'check.md');
    const pass = dse(['check', base, '--baseline', blFile, '--junit', junit, '--markdown', mdFile], { GITHUB_STEP_SUMMARY: stepSummary });
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(pass.stdout, /Pareto front check: e2e-check: pass/);
    assert.match(pass.stdout, /\| hypervolume ratio \| 100% \| 100% \|/);
    assert.equal(readFileSync(mdFile, 'utf8'), pass.stdout);
    assert.match(readFileSync(junit, 'utf8'), /<testsuite name="dse check" tests="2" failures="0"/);
    assert.match(readFileSync(stepSummary, 'utf8'), /: pass/);

    // Regression: B is gone and C is 1% worse in energy.
    const worse = writeRun(join(root, 'worse'), [A, dominated, ok(32, 'ws', 1e-3, 4.04e6)]);
    const fail = dse(['check', worse, '--baseline', blFile, '--junit', junit], { GITHUB_STEP_SUMMARY: stepSummary });
    assert.equal(fail.code, 1, fail.stderr);
    assert.match(fail.stderr, /regression: hypervolume fell to/);
    assert.match(fail.stderr, new RegExp(`regression: additive epsilon .* ${B.hash}`));
    assert.match(fail.stdout, /REGRESSION/);
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testcase classname="dse check" name="hypervolume" time="0">\s*<failure type="regression"/);
    assert.match(xml, new RegExp(`name="baseline point ${B.hash}"`));
    assert.match(xml, new RegExp(`name="baseline point ${C.hash}"`));
    // The step summary got both reports, appended.
    const steps = readFileSync(stepSummary, 'utf8');
    assert.match(steps, /: pass[\s\S]*: REGRESSION/);

    // Bad input: a missing baseline, another problem, a malformed tolerance.
    const missing = dse(['check', base, '--baseline', join(root, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: .*nope\.json: file not found/);
    // Another name is only a label: still the same problem.
    const renamed = writeRun(join(root, 'renamed'), [A, B, C], { ...header('e2e00000000000fe'), study: { ...study, name: 'another' } });
    assert.equal(dse(['check', renamed, '--baseline', blFile]).code, 0);
    const otherStudy = writeRun(join(root, 'other'), [A, B, C], { ...header('e2e00000000000ff'), study: { ...study, constraints: { areaMM2: { max: 5 } } } });
    const different = dse(['check', otherStudy, '--baseline', blFile]);
    assert.equal(different.code, 2);
    assert.match(different.stderr, /solve different problems/);
    const badTol = dse(['check', base, '--baseline', blFile, '--hv-tolerance', 'lots']);
    assert.equal(badTol.code, 2);
    assert.match(badTol.stderr, /--hv-tolerance: expected a fraction/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('merge: shards with an overlap give the whole run; a merged run checks clean against the whole run', () => {
  const root = mkdtempSync(join(tmpdir(), 'dse-merge-e2e-'));
  try {
    const whole = writeRun(join(root, 'whole'), [A, B, dominated, C, infeasible, failed]);
    const s0 = writeRun(join(root, 's0'), [A, B, failed], header(undefined, { index: 0, count: 2 }));
    const s1 = writeRun(join(root, 's1'), [B, dominated, C, infeasible], header(undefined, { index: 1, count: 2 }));
    const out = join(root, 'merged');
    const m = dse(['merge', s1, s0, '--out', out]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /6 designs \(4 feasible, 1 infeasible, 1 failed\), front of 3/);
    const j = readJournal(join(out, 'journal.jsonl'));
    assert.equal(j.header.shard, undefined);
    assert.deepEqual(j.trials.map((t) => t.hash), [A, B, C, dominated, infeasible, failed].map((t) => t.hash).sort());
    assert.deepEqual(readFront(out).front.map((t) => t.hash), readFront(whole).front.map((t) => t.hash));

    const blFile = join(root, 'bl.json');
    assert.equal(dse(['baseline', whole, '-o', blFile]).code, 0);
    assert.equal(dse(['check', out, '--baseline', blFile]).code, 0);

    // Merging again into the same directory is refused (runs of other studies: test/results/merge.test.ts).
    const again = dse(['merge', s0, s1, '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /a journal already exists/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
