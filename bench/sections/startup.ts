import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type BenchSection, type BenchTable } from '../table.ts';
import { fixtures, writeStudy } from '../study-child-runs.ts';

/**
 * Start-up of the `dse` command, side by side: the sources through tsx (bin/dse-dev.js, which
 * is how every accel-dse command ran before the compiled build) against the compiled dist/
 * (bin/dse.js). Runs alternate between the two so machine load hits both alike. Besides wall
 * time, the CPU time the command used (user + system, from the kernel's count for reaped
 * children, Linux only) is less sensitive to other processes on a busy machine.
 */

const REPEATS = 9;
const binDir = fileURLToPath(new URL('../../bin/', import.meta.url));
const entries = { source: join(binDir, 'dse-dev.js'), dist: join(binDir, 'dse.js') };

/** CPU time of this process's reaped children in ms (fields cutime + cstime of /proc/self/stat), or NaN. */
function childrenCpuMs(): number {
  if (!existsSync('/proc/self/stat')) return NaN;
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After "pid (comm) ", field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14; ticks of 10 ms.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function timed(bin: string, args: string[]): { wallMs: number; cpuMs: number; code: number | null } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
  return { wallMs: performance.now() - t0, cpuMs: childrenCpuMs() - cpu0, code: r.status };
}

export const section: BenchSection = {
  name: 'startup',
  async run(): Promise<BenchTable[]> {
    const tmp = mkdtempSync(join(tmpdir(), 'dse-bench-startup-'));
    try {
      // A small finished run and its baseline, so `dse check` does real (if light) work.
      const study = writeStudy(tmp, 'startup', join(fixtures, 'tiny-gemm.yaml'), 300, 100);
      const run = join(tmp, 'run');
      const baseline = join(tmp, 'baseline.json');
      for (const args of [['run', study, '--out', run, '--workers', '0', '--no-report'], ['baseline', run, '-o', baseline]]) {
        const r = spawnSync(process.execPath, [entries.dist, ...args], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`dse ${args[0]} failed: ${r.stderr}`);
      }
      const cases: [string, string[]][] = [
        ['dse --help', ['--help']],
        ['dse check --help', ['check', '--help']],
        ['dse check <run> --baseline <file> (300 trials)', ['check', run, '--baseline', baseline]],
      ];
      const rows: (string | number)[][] = [];
      const ratios: string[] = [];
      for (const [name, args] of cases) {
        const wall = { source: [] as number[], dist: [] as number[] };
        const cpu = { source: [] as number[], dist: [] as number[] };
        const codes = new Set<number | null>();
        for (let i = 0; i < REPEATS; i++) {
          for (const which of ['source', 'dist'] as const) {
            const r = timed(entries[which], args);
            wall[which].push(r.wallMs);
            cpu[which].push(r.cpuMs);
            codes.add(r.code);
          }
        }
        const [ws, wd, cs, cd] = [median(wall.source), median(wall.dist), median(cpu.source), median(cpu.dist)];
        rows.push([name, Math.round(ws), Math.round(wd), (ws / wd).toFixed(2), Math.round(cs), Math.round(cd), (cs / cd).toFixed(2), [...codes].join(',')]);
        ratios.push(`${name}: ${(ws / wd).toFixed(2)}x wall, ${(cs / cd).toFixed(2)}x CPU`);
      }
      return [
        {
          title: `Start-up: wall time of the dse command, sources through tsx vs compiled dist/ (median of ${REPEATS}, alternating)`,
          columns: ['command', 'tsx wall (ms)', 'dist wall (ms)', 'wall speed-up', 'tsx CPU (ms)', 'dist CPU (ms)', 'CPU speed-up', 'exit codes'],
          rows,
          notes: [`Target: dse --help and dse check at least 2x faster than through tsx. Measured: ${ratios.join('; ')}.`],
        },
      ];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
