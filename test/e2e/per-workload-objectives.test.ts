import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalTrials, runCli } from './cli-helpers.ts';

const STUDY = `
name: per-workload-throughput
workloads:
  - {name: bert_base, params: {seqLen: 128}, label: bert}
  - {name: llama3_8b, params: {phase: decode, context: 512, batch: 4}}
space:
  peRows: [16, 32, 64]
  peCols: [16, 32, 64]
  dataflow: [os, ws]
  glbKiB: [256, 1024]
fixed: {dramGBps: 51.2}
objectives: [{maximize: tokensPerS@llama3_8b}, energyPJ@bert, areaMM2]
constraints:
  latencyS@bert: {max: 0.012}
search: {algorithm: grid, budget: 36, seed: 1, batchSize: 36}
`;

test('a study with a per-workload constraint and a maximised throughput objective runs end to end; front.csv, summary and dse check show it the natural way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-perwl-'));
  try {
    const study = join(dir, 'study.yaml');
    writeFileSync(study, STUDY);
    const run = join(dir, 'run');
    const r = runCli(['run', study, '--out', run, '--no-report']);
    assert.equal(r.code, 0, r.stderr);

    // Every trial keeps each workload's metrics; the objective is the negated throughput.
    const trials = [...journalTrials(join(run, 'journal.jsonl')).values()];
    assert.equal(trials.length, 36);
    let infeasible = 0;
    for (const t of trials as unknown as { status: string; metrics: Record<string, number>; objectives: number[] }[]) {
      const m = t.metrics;
      assert.ok(m['latencyS@bert']! > 0 && m['latencyS@llama3_8b']! > 0);
      assert.ok(Math.abs(m['latencyS@bert']! + m['latencyS@llama3_8b']! - m.latencyS!) <= 1e-12 * m.latencyS!);
      assert.ok(Math.abs(m['tokensPerS@llama3_8b']! - 4 / m['latencyS@llama3_8b']!) <= 1e-9 * m['tokensPerS@llama3_8b']!);
      assert.ok(Math.abs(m['tokensPerS@bert']! - 128 / m['latencyS@bert']!) <= 1e-9 * m['tokensPerS@bert']!);
      assert.ok(Math.abs(m['energyPerTokenPJ@llama3_8b']! - m['energyPJ@llama3_8b']! / 4) <= 1e-9 * m['energyPerTokenPJ@llama3_8b']!);
      assert.equal(t.objectives[0], -m['tokensPerS@llama3_8b']!);
      assert.equal(t.objectives[1], m['energyPJ@bert']);
      if (m['latencyS@bert']! > 0.012) {
        assert.equal(t.status, 'infeasible');
        infeasible++;
      }
    }
    assert.ok(infeasible > 0 && infeasible < 36, `the constraint must bind on some designs, not all (${infeasible})`);

    // front.csv: the objective column holds positive tokens per second.
    const csv = readFileSync(join(run, 'front.csv'), 'utf8').trim().split('\n');
    const col = csv[0]!.split(',').indexOf('tokensPerS@llama3_8b');
    assert.ok(col >= 0, csv[0]);
    for (const line of csv.slice(1)) assert.ok(Number(line.split(',')[col]) > 0, line);
    for (const c of ['latencyS@bert', 'latencyS@llama3_8b', 'energyPJ@llama3_8b']) assert.ok(csv[0]!.split(',').includes(c), `front.csv has ${c}`);
    const summary = readFileSync(join(run, 'summary.md'), 'utf8');
    assert.match(summary, /Maximised: tokensPerS@llama3\\?_8b\./);
    assert.match(summary, /Minimised: energyPJ@bert, areaMM2\./);
    const front = JSON.parse(readFileSync(join(run, 'front.json'), 'utf8'));
    assert.deepEqual(front.maximize, ['tokensPerS@llama3_8b']);

    // The report shows the maximised objective as such, with positive values.
    const md = join(dir, 'report.md');
    const rep = runCli(['report', run, '--format', 'md', '-o', md]);
    assert.equal(rep.code, 0, rep.stderr);
    const report = readFileSync(md, 'utf8');
    assert.match(report, /tokensPerS@llama3\\?_8b \(maximised\)/);
    assert.match(report, /latency @bert/);
    assert.doesNotMatch(report, /\| -\d/);

    // Baseline and check: the same run passes against its own baseline.
    const baseline = join(dir, 'baseline.json');
    const b = runCli(['baseline', run, '-o', baseline]);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(JSON.parse(readFileSync(baseline, 'utf8')).maximize, ['tokensPerS@llama3_8b']);
    const c = runCli(['check', run, '--baseline', baseline]);
    assert.equal(c.code, 0, c.stdout + c.stderr);
    assert.match(c.stdout, /Maximised: tokensPerS@llama3\\?_8b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an objective or constraint naming an unknown workload or metric is one line naming the field, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-perwl-'));
  try {
    for (const [edit, field] of [
      [STUDY.replace('energyPJ@bert', 'energyPJ@resnet'), 'objectives.1'],
      [STUDY.replace('{maximize: tokensPerS@llama3_8b}', '{maximize: speed}'), 'objectives.0'],
      [STUDY.replace('latencyS@bert:', 'latencyS@gpt:'), 'constraints.latencyS@gpt'],
      [STUDY.replace('label: bert}', 'label: llama3_8b}'), 'workloads.1.label'],
    ] as const) {
      const study = join(dir, 'bad.yaml');
      writeFileSync(study, edit);
      const r = runCli(['validate', study]);
      assert.equal(r.code, 2, r.stdout);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0]!.includes(field), `${lines[0]} should name ${field}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
