import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStudy } from '../../dse/run-study.ts';

/**
 * accel-dse as a user gets it from npm: `npm pack` (which builds dist/ through the `prepare`
 * script), the tarball installed into an empty project, then
 *   (a) plain `node` (no tsx: it is a dev dependency, so it is not installed) imports the library,
 *       runs a study on two worker threads and evaluates a design;
 *   (b) `tsc --strict` type-checks a consumer file against the shipped declarations;
 *   (c) the installed `dse` binary validates a shipped config and runs a study (with its HTML
 *       report, which reads plotly from the installed dependencies), and its front equals the
 *       one the sources compute for the same study.
 * npm installs with --prefer-offline (after `npm ci` the cache holds every dependency); when
 * the registry is unreachable and the cache lacks a package, the test skips with the reason.
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
/** Child processes run plain node: no loader options inherited from this test process. */
const env = { ...process.env, NODE_OPTIONS: '', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
const NETWORK = /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network/;

function run(cmd: string, args: string[], cwd: string, timeout = 300_000): { code: number | null; stdout: string; out: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout ?? '', out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(join(repo, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

const STUDY = `name: packaged
workloads: [resnet18]
space:
  peRows: {pow2: {min: 8, max: 64}}
  peCols: {pow2: {min: 8, max: 64}}
  dataflow: {categorical: [os, ws, is]}
  glbKiB: {pow2: {min: 64, max: 512}}
  fusion: [none, greedy]
objectives: [latencyS, energyPJ, areaMM2]
search: {algorithm: random, budget: 60, seed: 3, batchSize: 20}
`;

/** Plain-node script: the library API from the installed package. */
const SCRIPT = `import { runStudy, evaluate, hypervolume } from 'accel-dse';
const result = await runStudy('study.yaml', { workers: 2, out: 'runs/library' });
const points = result.front.map((t) => t.objectives);
const ref = points[0].map((_, i) => 2 * Math.max(...points.map((p) => p[i])));
const { metrics } = await evaluate(result.study, result.front[0].design);
const same = JSON.stringify(metrics) === JSON.stringify(result.front[0].metrics);
console.log(JSON.stringify({ total: result.counts.total, front: result.front.length, hv: hypervolume(points, ref), latencyS: metrics.latencyS, energyPJ: metrics.energyPJ, same }));
`;

/** Consumer TypeScript: must type-check under --strict; the @ts-expect-error lines prove the types are real, not any. */
const CONSUMER_TS = `import { runStudy, evaluateHardware, hypervolume, DseError, type RunResult, type Trial } from 'accel-dse';

export async function study(file: string): Promise<number> {
  const result: RunResult = await runStudy(file, { workers: 1, budget: 10 });
  const front: Trial[] = result.front;
  const hv: number = hypervolume(front.map((t) => t.objectives!), [1, 1, 1]);
  const latencyS: number = (await evaluateHardware({ peRows: 16 }, 'resnet18')).metrics.latencyS;
  // @ts-expect-error hypervolume returns a number
  const wrong: string = hypervolume([], [1]);
  // @ts-expect-error runStudy's options are checked
  await runStudy(file, { workers: 'two' });
  void wrong;
  return hv + latencyS + (new DseError('x', 'y') instanceof Error ? 0 : 1);
}
`;

test('the npm package: plain node, a strict TypeScript consumer and the installed dse binary', { timeout: 600_000 }, async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'dse-packaging-'));
  try {
    // npm pack runs `prepare` (the build), so the tarball holds a fresh dist/.
    const packed = run('npm', ['pack', '--json', '--pack-destination', tmp], repo);
    assert.equal(packed.code, 0, packed.out);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
    const files = info[0]!.files.map((f) => f.path);
    for (const must of ['package.json', 'bin/dse.js', 'dist/index.js', 'dist/index.d.ts', 'dist/dse/cli.js', 'dist/dse/worker.js', 'configs/quickstart.yaml']) {
      assert.ok(files.includes(must), `tarball lacks ${must}`);
    }
    const unwanted = files.filter((f) => /^(test|bench|scripts|\.ci|docs|node_modules)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.mjs'));
    assert.deepEqual(unwanted, [], 'tarball carries files users do not need');

    const consumer = join(tmp, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const installed = run('npm', ['install', '--prefer-offline', '--no-package-lock', join(tmp, info[0]!.filename), `@types/node@${versionOf('@types/node')}`], consumer);
    if (installed.code !== 0 && NETWORK.test(installed.out)) {
      t.skip(`npm could not install from its cache or the registry: ${installed.out.split('\n').find((l) => NETWORK.test(l))}`);
      return;
    }
    assert.equal(installed.code, 0, installed.out);
    assert.ok(!existsSync(join(consumer, 'node_modules/tsx')), 'tsx is a dev dependency and must not be installed');
    writeFileSync(join(consumer, 'study.yaml'), STUDY);

    // (a) plain node, library API; two worker threads load the compiled worker.
    writeFileSync(join(consumer, 'use.mjs'), SCRIPT);
    const lib = run(process.execPath, ['use.mjs'], consumer);
    assert.equal(lib.code, 0, lib.out);
    const got = JSON.parse(lib.stdout.trim().split('\n').pop()!) as { total: number; front: number; hv: number; latencyS: number; energyPJ: number; same: boolean };
    assert.ok(got.same, 'evaluate() of a front design gives the metrics the run recorded');
    assert.equal(got.total, 60);
    assert.ok(got.front > 0 && got.hv > 0 && Number.isFinite(got.hv), lib.out);
    assert.ok(got.latencyS > 0 && got.energyPJ > 0, lib.out);

    // (b) a strict TypeScript consumer against the shipped declarations (no skipLibCheck).
    writeFileSync(join(consumer, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'] }, files: ['consumer.ts'] }),
    );
    const typed = run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer);
    assert.equal(typed.code, 0, `tsc --strict reported errors:\n${typed.out}`);

    // (c) the installed binary, from the consumer project.
    const dse = join(consumer, 'node_modules/.bin/dse');
    const validated = run(dse, ['validate', 'node_modules/accel-dse/configs/quickstart.yaml'], consumer);
    assert.equal(validated.code, 0, validated.out);
    const cli = run(dse, ['run', 'study.yaml', '--out', 'runs/cli', '--workers', '2'], consumer);
    assert.equal(cli.code, 0, cli.out);
    assert.doesNotMatch(cli.out, /warning/);
    const front = JSON.parse(readFileSync(join(consumer, 'runs/cli/front.json'), 'utf8')) as { front: { hash: string }[] };
    const report = readFileSync(join(consumer, 'runs/cli/report.html'), 'utf8');
    assert.match(report, /Plotly/, 'the report inlines plotly from the installed dependency');
    const header = JSON.parse(readFileSync(join(consumer, 'runs/cli/journal.jsonl'), 'utf8').split('\n')[0]!) as { version: string };
    assert.equal(header.version, (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version);

    // The compiled program and the sources find the same front for the same study and seed.
    writeFileSync(join(tmp, 'study.yaml'), STUDY);
    const fromSource = await runStudy(join(tmp, 'study.yaml'), { workers: 0, out: join(tmp, 'from-source') });
    assert.deepEqual(front.front.map((f) => f.hash).sort(), fromSource.front.map((f) => f.hash).sort());
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
