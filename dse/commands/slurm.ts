import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { shellHint } from '../../core/inert-text.ts';
import type { CommandModule } from 'yargs';
import { DseError } from '../../core/errors.ts';
import type { SlurmPlan } from '../slurm-script.ts';

interface SlurmArgs {
  study: string;
  shards: number;
  out: string;
  'workers-per-task': number;
  partition?: string;
  time?: string;
  submit: boolean;
  wait: boolean;
}

export const command: CommandModule<object, SlurmArgs> = {
  command: 'slurm <study>',
  describe: 'run a study as a Slurm job array (one task per shard) and a merge job: write the scripts, optionally submit and wait',
  builder: (y) =>
    y
      .example('$0 slurm configs/quickstart.yaml --shards 4 -o /scratch/quick --submit --wait', 'run as a Slurm job array and merge')
      .positional('study', { type: 'string', demandOption: true, describe: 'study file (YAML or JSON)' })
      .option('shards', { type: 'number', demandOption: true, describe: 'number of array tasks (shards of the study)' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'output directory, on a filesystem the compute nodes share' })
      .option('workers-per-task', { type: 'number', default: 1, describe: 'worker threads per task (= --cpus-per-task)' })
      .option('partition', { type: 'string', describe: 'Slurm partition for both jobs' })
      .option('time', { type: 'string', describe: 'time limit per job, in Slurm syntax (e.g. 01:00:00)' })
      .option('submit', { type: 'boolean', default: false, describe: 'submit the array, then the merge job, with sbatch' })
      .option('wait', { type: 'boolean', default: false, describe: 'wait for the merge job and print the merged front (implies --submit)' }),
  handler: async (args) => {
    const { planSlurm, writeSlurmScripts, mergedDirOf } = await import('../slurm-script.ts');
    const { loadStudy } = await import('../load-study.ts');
    const out = process.stdout;

    // Check everything we can before anything reaches the queue: a bad study would fail every task.
    const input = {
      studyFile: args.study,
      outDir: args.out,
      shards: args.shards,
      workersPerTask: args['workers-per-task'],
      ...(args.partition !== undefined ? { partition: args.partition } : {}),
      ...(args.time !== undefined ? { time: args.time } : {}),
    };
    planSlurm(input); // the options first: cheaper to check than the study
    const study = loadStudy(args.study);
    const finalPlan = planSlurm({ ...input, studyName: study.spec.name });
    const algorithm = study.spec.search.algorithm;
    if (algorithm !== 'grid' && algorithm !== 'random') {
      out.write(`note: '${algorithm}' is adaptive: each shard runs as an independently seeded island, and the merge is their union\n`);
    }

    const files = writeSlurmScripts(finalPlan);
    out.write(`wrote ${files.array}\n      ${files.merge}\n      ${files.submit}\n`);
    if (!args.submit && !args.wait) {
      out.write(`submit with: bash ${shellHint(files.submit)}   (or run dse slurm again with --submit)\n`);
      return;
    }

    const jobs = await submit(finalPlan);
    out.write(`submitted: array job ${jobs.arrayJob} (${finalPlan.shards} tasks), merge job ${jobs.mergeJob} (after all tasks succeed)\n`);
    if (!args.wait) {
      out.write(`watch with: squeue -j ${jobs.arrayJob},${jobs.mergeJob}\nmerged front, when done: ${join(mergedDirOf(finalPlan.outDir), 'front.json')}\n`);
      return;
    }
    const front = await waitForJobs(finalPlan, jobs);
    out.write(`merged front: ${front}\n`);
  },
};

interface SubmittedJobs {
  arrayJob: string;
  mergeJob: string;
}

/** Runs a Slurm command; a missing command or a failure becomes a DseError quoting its stderr. */
function slurmCommand(cmd: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new DseError('slurm_missing', `'${cmd}' not found: run on a Slurm login node (or start the local test cluster: scripts/slurm-local.sh start)`));
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Slurm's commands explain themselves over several lines; the CLI prints errors on one. */
function oneLine(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' / ');
}

/** `sbatch --parsable` prints "<id>" or "<id>;<cluster>". */
function parseJobId(stdout: string, what: string): string {
  const id = stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new DseError('sbatch_failed', `sbatch did not return a job id for the ${what} (it printed '${stdout.trim()}')`);
  return id;
}

async function submit(plan: SlurmPlan): Promise<SubmittedJobs> {
  const { arraySubmitArgs, mergeSubmitArgs, mergeExitFileOf } = await import('../slurm-script.ts');
  // Exit markers of an earlier submission into this directory would read as this one's results.
  const logs = join(plan.outDir, 'logs');
  for (const f of readdirSync(logs)) if (f.endsWith('.exit')) rmSync(join(logs, f), { force: true });
  rmSync(mergeExitFileOf(plan.outDir), { force: true });

  const a = await slurmCommand('sbatch', arraySubmitArgs(plan));
  if (a.code !== 0) throw new DseError('sbatch_failed', `sbatch refused the array job: ${oneLine(a.stderr) || `exit ${a.code}`}`);
  const arrayJob = parseJobId(a.stdout, 'array job');
  const m = await slurmCommand('sbatch', mergeSubmitArgs(plan, arrayJob));
  if (m.code !== 0) {
    await slurmCommand('scancel', [arrayJob]);
    throw new DseError('sbatch_failed', `sbatch refused the merge job (array job ${arrayJob} cancelled): ${oneLine(m.stderr) || `exit ${m.code}`}`);
  }
  return { arrayJob, mergeJob: parseJobId(m.stdout, 'merge job') };
}

interface QueuedJob {
  id: string;
  state: string;
  reason: string;
}

/** The jobs still known to the controller (pending, running, or finished less than MinJobAge ago). */
async function queued(jobs: SubmittedJobs): Promise<QueuedJob[]> {
  // Finished jobs vanish from squeue; when all named jobs are gone squeue says "Invalid job id".
  for (let attempt = 0; ; attempt++) {
    const r = await slurmCommand('squeue', ['-h', '-r', '-j', `${jobs.arrayJob},${jobs.mergeJob}`, '-o', '%i|%T|%r']);
    if (r.code === 0) {
      return r.stdout
        .split('\n')
        .filter((l) => l.trim().length > 0)
        .map((l) => {
          const [id = '', state = '', reason = ''] = l.trim().split('|');
          return { id, state, reason };
        });
    }
    if (/Invalid job id/i.test(r.stderr)) return [];
    // The controller can be briefly unreachable (restart, failover): retry for about a minute.
    if (attempt >= 12) throw new DseError('squeue_failed', `squeue keeps failing: ${oneLine(r.stderr) || `exit ${r.code}`}`);
    await sleep(5000);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function readExit(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * Polls squeue until the merge job is done, then reads the outcome from the files the jobs
 * wrote (without accounting, Slurm forgets finished jobs, so squeue cannot tell success from
 * failure). Returns the merged front's path; throws naming the log of a failed task.
 */
async function waitForJobs(plan: SlurmPlan, jobs: SubmittedJobs): Promise<string> {
  const { shardExitFileOf, shardLogOf, mergeExitFileOf, mergeLogOf, mergedDirOf } = await import('../slurm-script.ts');
  const started = Date.now();
  let lastLine = '';
  for (;;) {
    const live = await queued(jobs);
    const tasks = live.filter((j) => j.id === jobs.arrayJob || j.id.startsWith(`${jobs.arrayJob}_`));
    const merge = live.find((j) => j.id === jobs.mergeJob);

    const line = `waiting: ${tasks.length} array task(s) queued or running${merge ? `, merge ${merge.state.toLowerCase()}` : ''}`;
    if (line !== lastLine && (tasks.length > 0 || merge)) process.stderr.write(`${line}\n`);
    lastLine = line;

    if (tasks.length === 0) {
      const failed: string[] = [];
      for (let i = 0; i < plan.shards; i++) {
        const code = readExit(shardExitFileOf(plan.outDir, i));
        if (code === 0) continue;
        const why = code === undefined ? 'did not finish (cancelled, out of time, or its node failed)' : `exited with ${code}`;
        failed.push(`shard ${i} ${why}: see ${shardLogOf(plan.outDir, i)}`);
      }
      if (failed.length > 0) {
        // afterok can never be satisfied now: the merge job would wait in the queue forever.
        if (merge) await slurmCommand('scancel', [jobs.mergeJob]);
        throw new DseError(
          'slurm_task_failed',
          `${failed.length} of ${plan.shards} shards failed (merge job ${jobs.mergeJob} cancelled); ${failed.join('; ')}. ` +
            `Fix the cause and run the same dse slurm command again: finished shards resume from their journals`,
        );
      }
      if (!merge) {
        const code = readExit(mergeExitFileOf(plan.outDir));
        const front = join(mergedDirOf(plan.outDir), 'front.json');
        if (code === 0 && existsSync(front)) return front;
        const why = code === undefined ? 'did not finish (cancelled or out of time)' : code === 0 ? `wrote no ${front}` : `exited with ${code}`;
        throw new DseError('slurm_merge_failed', `merge job ${jobs.mergeJob} ${why}: see ${mergeLogOf(plan.outDir)}`);
      }
    }
    // Poll every second at first (a small study is done in seconds), then back off so a long
    // sweep does not load the controller: up to 15 s between polls.
    const elapsedS = (Date.now() - started) / 1000;
    await sleep(Math.min(15_000, 1000 + elapsedS * 25));
  }
}
