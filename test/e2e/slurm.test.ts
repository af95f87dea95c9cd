import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DSE_BIN } from './cli-helpers.ts';

/**
 * The whole Slurm path on a real (local, single-node) Slurm cluster: `dse slurm --submit --wait`
 * runs a 4-task array and the merge job, and the merged front and trials must equal those of
 * the same study run in one process. Skips when Slurm cannot run here (not root, no apt-get).
 */

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dseBin = DSE_BIN;
const clusterScript = join(repo, 'scripts', 'slurm-local.sh');
const stateDir = process.env.DSE_SLURM_DIR ?? '/tmp/accel-dse-slurm';
const slurmEnv = { ...process.env, DSE_SLURM_DIR: stateDir, SLURM_CONF: join(stateDir, 'slurm.conf') };

let skipReason: string | undefined;
let startedCluster = false;
let tmp = '';

before(() => {
  if (process.platform !== 'linux') {
    skipReason = 'the local Slurm cluster needs Linux';
    return;
  }
  if (process.getuid?.() !== 0) {
    skipReason = 'not root: the local Slurm cluster (scripts/slurm-local.sh) runs its daemons as root';
    return;
  }
  const status = spawnSync('bash', [clusterScript, 'status'], { env: slurmEnv, encoding: 'utf8' });
  if (status.status !== 0) {
    const start = spawnSync('bash', [clusterScript, 'start'], { env: slurmEnv, encoding: 'utf8', timeout: 240_000 });
    if (start.status === 3) {
      skipReason = `Slurm cannot be installed here: ${start.stderr.trim().split('\n').pop()}`;
      return;
    }
    // Any other failure is a real one: the cluster should start wherever it installs. Stop
    // afterwards what this start began, unless the daemons were already there (a sick node).
    startedCluster = !/slurmctld running/.test(status.stdout);
    assert.equal(start.status, 0, `scripts/slurm-local.sh start failed:\n${start.stdout}\n${start.stderr}`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'dse-slurm-e2e-'));
});

after(() => {
  if (startedCluster) spawnSync('bash', [clusterScript, 'stop'], { env: slurmEnv, encoding: 'utf8' });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A grid over 18 designs of a small network: each of 4 shards evaluates a few in seconds. */
const STUDY = `name: slurm-e2e
workloads: [mobilenet_v2]
space:
  peRows: {pow2: {min: 8, max: 32}}
  peCols: {pow2: {min: 8, max: 32}}
  dataflow: {categorical: [os, ws]}
fixed:
  clockMHz: 1000
objectives: [latencyS, energyPJ, areaMM2]
search:
  algorithm: grid
  budget: 18
  batchSize: 6
`;

function runDse(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [dseBin, ...args], { env: slurmEnv, cwd: tmp, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

interface JournalTrial {
  hash: string;
  status: string;
  metrics?: Record<string, number>;
  objectives?: number[];
}

function journalTrials(dir: string): { header: Record<string, unknown>; trials: JournalTrial[] } {
  const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  const [header, ...trials] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(header?.type, 'header');
  return { header: header!, trials: trials as unknown as JournalTrial[] };
}

/** hash -> outcome, independent of order and numbering. */
function outcomes(trials: JournalTrial[]): Map<string, unknown> {
  return new Map(trials.map((t) => [t.hash, { status: t.status, metrics: t.metrics, objectives: t.objectives }]));
}

function frontOf(dir: string): { hash: string; objectives: number[] }[] {
  const f = JSON.parse(readFileSync(join(dir, 'front.json'), 'utf8')) as { front: { hash: string; objectives: number[] }[] };
  return f.front.map((t) => ({ hash: t.hash, objectives: t.objectives })).sort((a, b) => (a.hash < b.hash ? -1 : 1));
}

test('dse slurm --submit --wait on a real Slurm: 4 shards merge into the single-process result', { timeout: 150_000 }, async (t) => {
  if (skipReason) {
    t.skip(skipReason);
    return;
  }
  const studyDir = join(tmp, 'study dir');
  mkdirSync(studyDir);
  const studyFile = join(studyDir, 'tiny.yaml');
  writeFileSync(studyFile, STUDY);
  // Blank, quotes and $ in the output path: they reach #SBATCH lines, sbatch's argv and bash.
  const outDir = join(tmp, `out 'slurm' $x`);
  const singleDir = join(tmp, 'single');

  const [sharded, single] = await Promise.all([
    runDse(['slurm', studyFile, '--shards', '4', '--out', outDir, '--submit', '--wait'], 120_000),
    runDse(['run', studyFile, '--out', singleDir, '--workers', '1', '--no-report'], 120_000),
  ]);
  assert.equal(single.code, 0, `dse run failed:\n${single.stderr}`);
  assert.equal(sharded.code, 0, `dse slurm failed:\n${sharded.stdout}\n${sharded.stderr}`);
  const mergedDir = join(outDir, 'merged');
  assert.ok(sharded.stdout.includes(`merged front: ${join(mergedDir, 'front.json')}`), sharded.stdout);

  // Each shard ran under Slurm as its own slice, and the slices partition the study.
  const singleRun = journalTrials(singleDir);
  assert.equal(singleRun.trials.length, 18);
  const seen = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const shard = journalTrials(join(outDir, `shard-${i}`));
    assert.deepEqual(shard.header.shard, { index: i, count: 4 });
    for (const trial of shard.trials) {
      assert.ok(!seen.has(trial.hash), `design ${trial.hash} evaluated by two shards`);
      seen.add(trial.hash);
    }
    assert.equal(readFileSync(join(outDir, 'logs', `shard-${i}.exit`), 'utf8').trim(), '0');
  }
  assert.equal(seen.size, 18);

  // The merged run equals the single run: same designs with the same outcomes, same front.
  const merged = journalTrials(mergedDir);
  assert.deepEqual(outcomes(merged.trials), outcomes(singleRun.trials));
  const mergedFront = frontOf(mergedDir);
  assert.ok(mergedFront.length > 0);
  assert.deepEqual(mergedFront, frontOf(singleDir));
});

test('dse slurm --wait fails with the log of the shard that failed', { timeout: 150_000 }, async (t) => {
  if (skipReason) {
    t.skip(skipReason);
    return;
  }
  const studyFile = join(tmp, 'failing.yaml');
  writeFileSync(studyFile, STUDY.replace('budget: 18', 'budget: 4').replace('name: slurm-e2e', 'name: slurm-e2e-fail'));
  const outDir = join(tmp, 'failing');
  // Shard 1 finds a journal it cannot resume (not JSON), so its `dse run` exits 2.
  mkdirSync(join(outDir, 'shard-1'), { recursive: true });
  writeFileSync(join(outDir, 'shard-1', 'journal.jsonl'), 'this is not a journal\n{"neither": "is this"}\n');

  const r = await runDse(['slurm', studyFile, '--shards', '2', '--out', outDir, '--wait'], 120_000);
  assert.equal(r.code, 2, `expected exit 2:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /1 of 2 shards failed/);
  assert.ok(r.stderr.includes(join(outDir, 'logs', 'shard-1.log')), r.stderr);
  assert.doesNotMatch(r.stderr, /shard 0 /);
  assert.ok(!existsSync(join(outDir, 'merged', 'front.json')), 'the merge must not run after a failed shard');
  // The failed task's own log says why.
  assert.match(readFileSync(join(outDir, 'logs', 'shard-1.log'), 'utf8'), /error/i);
});
