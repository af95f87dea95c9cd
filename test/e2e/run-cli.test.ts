import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frontHashes, journalTrials, runCli, startCli } from './cli-helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dse-run-'));

function writeStudy(name: string, extra: string): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
workloads: [resnet18, {name: mobilenet_v2, params: {resolution: 160}, weight: 2}]
aggregate: weighted
space:
  peRows: {pow2: {min: 4, max: 128}}
  peCols: {pow2: {min: 4, max: 128}}
  dataflow: {categorical: [os, ws, is]}
  glbKiB: {pow2: {min: 32, max: 4096}}
  weightBits: [4, 8, 16]
  activationBits: [8, 16]
objectives: [latencyS, energyPJ, areaMM2]
constraints:
  areaMM2: {max: 30}
  peRows*peCols: {max: 8192}
${extra}
`,
  );
  return file;
}

test('the same study and seed give the same trials and front with 1 and 2 workers', () => {
  const study = writeStudy('det', 'search: {algorithm: random, budget: 300, seed: 7, batchSize: 50}');
  const a = runCli(['run', study, '--out', join(tmp, 'w1'), '--workers', '1', '--no-report']);
  assert.equal(a.code, 0, a.stderr);
  const b = runCli(['run', study, '--out', join(tmp, 'w2'), '--workers', '2', '--no-report']);
  assert.equal(b.code, 0, b.stderr);
  const ta = journalTrials(join(tmp, 'w1', 'journal.jsonl'));
  const tb = journalTrials(join(tmp, 'w2', 'journal.jsonl'));
  assert.equal(ta.size, 300);
  assert.deepEqual([...ta.entries()].sort(), [...tb.entries()].sort());
  assert.deepEqual(frontHashes(join(tmp, 'w1')), frontHashes(join(tmp, 'w2')));
  assert.ok(frontHashes(join(tmp, 'w1')).length > 1, 'a real trade-off has more than one front design');
  for (const f of ['journal.jsonl', 'front.json', 'front.csv', 'summary.md']) assert.ok(existsSync(join(tmp, 'w1', f)), f);
  assert.match(a.stdout, /front:/);
});

test('a run killed with SIGKILL resumes and ends with the same front as an uninterrupted run', async () => {
  const study = writeStudy('kill', 'search: {algorithm: random, budget: 4000, seed: 3, batchSize: 20}');
  const full = runCli(['run', study, '--out', join(tmp, 'full'), '--workers', '1', '--no-report']);
  assert.equal(full.code, 0, full.stderr);

  const dir = join(tmp, 'killed');
  const child = startCli(['run', study, '--out', dir, '--workers', '1', '--no-report']);
  const journal = join(dir, 'journal.jsonl');
  // Kill once a few batches are in the journal, well before the end.
  for (let i = 0; i < 3000; i++) {
    await new Promise((r) => setTimeout(r, 10));
    if (existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 60) break;
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const before = journalTrials(journal).size;
  assert.ok(before > 0 && before < 4000, `killed mid-run (${before} trials journalled)`);
  // A kill can tear the last line: simulate the worst case.
  appendFileSync(journal, '{"seq": 999999, "hash": "torn');

  const resumed = runCli(['run', '--resume', dir, '--workers', '2', '--no-report']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(frontHashes(dir), frontHashes(join(tmp, 'full')));
  const ta = journalTrials(join(tmp, 'full', 'journal.jsonl'));
  const tb = journalTrials(journal);
  assert.equal(tb.size, 4000);
  for (const [hash, t] of ta) assert.deepEqual(tb.get(hash)?.metrics, t.metrics);
});

test('malformed and invalid studies fail with one clear line and exit 2', () => {
  const cases: [string, RegExp][] = [
    ['name: x\nworkloads: [resnet18\n', /malformed YAML/],
    ['name: x\nworkloads: [resnet18]\nspace: {peRows: [8]}\nobjectives: [latencyS]\ncolour: red\n', /unknown key 'colour'/],
    ['name: x\nworkloads: [resnet18]\nspace: {peRows: {pow2: {min: 8}}}\nobjectives: [latencyS]\n', /space\.peRows\.pow2\.max/],
    ['name: x\nworkloads: [resnet18]\nspace: {dataflow: [os, diagonal]}\nobjectives: [latencyS]\n', /space\.dataflow/],
    ['name: x\nworkloads: [resnet1000]\nspace: {peRows: [8]}\nobjectives: [latencyS]\n', /workloads\.0/],
  ];
  for (const [i, [text, pattern]] of cases.entries()) {
    const file = join(tmp, `bad-${i}.yaml`);
    writeFileSync(file, text);
    for (const cmd of [['validate', file], ['run', file, '--out', join(tmp, `bad-out-${i}`)]]) {
      const r = runCli(cmd);
      assert.equal(r.code, 2, `${cmd.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, pattern);
      assert.ok(lines[0]!.includes(file), 'names the file');
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
    }
  }
  const missing = runCli(['validate', join(tmp, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.yaml: file not found/);
});

test('dse schema prints a JSON Schema that describes the study format', () => {
  const r = runCli(['schema']);
  assert.equal(r.code, 0, r.stderr);
  const schema = JSON.parse(r.stdout);
  assert.equal(schema.type, 'object');
  assert.deepEqual([...schema.required].sort(), ['name', 'objectives', 'space', 'workloads']);
  assert.equal(schema.additionalProperties, false);
});

test('shards merged with dse merge equal the single run: same trials, same front, ties included', () => {
  // The quickstart has many designs with identical objectives (greedy and ILP often agree).
  const study = 'configs/quickstart.yaml';
  const single = runCli(['run', study, '--out', join(tmp, 'qs-single'), '--no-report', '--budget', '300']);
  assert.equal(single.code, 0, single.stderr);
  const shards = [0, 1, 2].map((i) => {
    const dir = join(tmp, `qs-shard-${i}`);
    const r = runCli(['run', study, '--out', dir, '--no-report', '--budget', '300', '--shard', `${i}/3`]);
    assert.equal(r.code, 0, r.stderr);
    return dir;
  });
  const merged = runCli(['merge', ...shards, '--out', join(tmp, 'qs-merged')]);
  assert.equal(merged.code, 0, merged.stderr);
  const a = journalTrials(join(tmp, 'qs-single', 'journal.jsonl'));
  const b = journalTrials(join(tmp, 'qs-merged', 'journal.jsonl'));
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [hash, t] of a) assert.deepEqual(b.get(hash)!.metrics, t.metrics);
  assert.deepEqual(frontHashes(join(tmp, 'qs-merged')), frontHashes(join(tmp, 'qs-single')));
});
