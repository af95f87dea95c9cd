import { DseError } from '../core/errors.ts';

/** This process's slice of a study: shard `index` of `count` (0 <= index < count). */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * Reads the `--shard` option of `dse run`.
 *
 * - undefined: no sharding (the whole study).
 * - `i/n`: shard i of n, 0-based.
 * - `auto`: taken from the scheduler's environment:
 *   - a Slurm job array sets SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT. The task id
 *     follows the `--array` range, so an array `1-4` or `0-10:2` is mapped back to 0..n-1
 *     using SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_STEP when set (`dse slurm` submits
 *     `0-(n-1)`, where both are neutral).
 *   - a Kubernetes indexed Job sets JOB_COMPLETION_INDEX but not the number of completions,
 *     so the count must come from `--shard-count` (countHint).
 *
 * `countHint`, when given together with a Slurm array, must agree with the array's size:
 * a mismatch would silently skip or duplicate designs.
 */
export function parseShard(spec: string | undefined, env: NodeJS.ProcessEnv, countHint?: number): ShardSpec | undefined {
  if (spec === undefined) return undefined;
  const text = spec.trim();
  if (countHint !== undefined && !(Number.isSafeInteger(countHint) && countHint >= 1)) {
    throw bad(`shard count must be a whole number >= 1, got ${countHint}`, '--shard-count');
  }
  if (text === 'auto') return fromEnvironment(env, countHint);

  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(text);
  if (!m) throw bad(`expected 'i/n' (e.g. 0/4) or 'auto', got '${spec}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) throw bad(`'${spec}' is out of range`);
  if (count < 1) throw bad(`shard count must be >= 1, got '${spec}'`);
  if (index >= count) throw bad(`shard index must be in 0..${count - 1} (0-based), got '${spec}'`);
  if (countHint !== undefined && countHint !== count) {
    throw bad(`'${spec}' says ${count} shards but --shard-count says ${countHint}`);
  }
  return { index, count };
}

function fromEnvironment(env: NodeJS.ProcessEnv, countHint: number | undefined): ShardSpec {
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  if (slurmId !== undefined && slurmId !== '') {
    const id = envInt(env, 'SLURM_ARRAY_TASK_ID');
    const count = envInt(env, 'SLURM_ARRAY_TASK_COUNT');
    const min = env.SLURM_ARRAY_TASK_MIN ? envInt(env, 'SLURM_ARRAY_TASK_MIN') : 0;
    const step = env.SLURM_ARRAY_TASK_STEP ? envInt(env, 'SLURM_ARRAY_TASK_STEP') : 1;
    if (count < 1) throw bad(`SLURM_ARRAY_TASK_COUNT must be >= 1, got ${count}`);
    if (step < 1) throw bad(`SLURM_ARRAY_TASK_STEP must be >= 1, got ${step}`);
    const offset = id - min;
    if (offset < 0 || offset % step !== 0) {
      throw bad(`SLURM_ARRAY_TASK_ID=${id} is not in the array range starting at ${min} with step ${step}`);
    }
    const index = offset / step;
    if (index >= count) {
      // An array like `0,5,9` (a list, not a range) cannot be mapped to 0..n-1.
      throw bad(
        `SLURM_ARRAY_TASK_ID=${id} maps to shard ${index} but the array has ${count} tasks; submit the array as --array=0-${count - 1}`,
      );
    }
    if (countHint !== undefined && countHint !== count) {
      throw bad(`the Slurm array has ${count} tasks but --shard-count says ${countHint}`);
    }
    return { index, count };
  }

  const k8sIndex = env.JOB_COMPLETION_INDEX;
  if (k8sIndex !== undefined && k8sIndex !== '') {
    const index = envInt(env, 'JOB_COMPLETION_INDEX');
    if (countHint === undefined) {
      throw bad('JOB_COMPLETION_INDEX is set (Kubernetes indexed Job) but the number of shards is unknown; pass --shard-count N (the Job\'s completions)');
    }
    if (index >= countHint) throw bad(`JOB_COMPLETION_INDEX=${index} is not below --shard-count ${countHint}`);
    return { index, count: countHint };
  }

  throw bad("'auto' needs a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes indexed Job (JOB_COMPLETION_INDEX); neither is set, use 'i/n'");
}

function envInt(env: NodeJS.ProcessEnv, name: string): number {
  const raw = (env[name] ?? '').trim();
  if (!/^\d+$/.test(raw)) throw bad(`${name} must be a whole number >= 0, got '${env[name] ?? ''}'`);
  const v = Number(raw);
  if (!Number.isSafeInteger(v)) throw bad(`${name} is out of range: '${raw}'`);
  return v;
}

function bad(message: string, path = '--shard'): DseError {
  return new DseError('invalid_shard', message, { path });
}
