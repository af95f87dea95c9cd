import { writeFileSync } from 'node:fs';
import { makeDirectory } from '../core/write-file.ts';
import { isAbsolute, join, resolve } from 'node:path';
import { shellQuote as quoteWord } from '../core/inert-text.ts';
import { DseError } from '../core/errors.ts';
import { dseBinPath } from './package-layout.ts';

/**
 * The Slurm scripts of a sharded study, written into its output directory so a person can
 * read, rerun or adapt them:
 *
 *   <out>/array.sbatch   job array, task i runs `dse run <study> --shard auto --out <out>/shard-i`
 *   <out>/merge.sbatch   `dse merge <out>/shard-* --out <out>/merged`, queued afterok:<array>
 *   <out>/submit.sh      the two sbatch calls (what `dse slurm --submit` runs)
 *   <out>/logs/          shard-<i>.log, merge.log (Slurm's output) and shard-<i>.exit, merge.exit
 *
 * Every value that reaches bash is single-quoted (shellQuote). `#SBATCH` lines are not read by
 * bash but by sbatch, which has its own quoting; paths go there only when sbatch can read them
 * back exactly (sbatchDirectiveValue), and are always passed on the sbatch command line too.
 */

export const SLURM_FILES = {
  array: 'array.sbatch',
  merge: 'merge.sbatch',
  submit: 'submit.sh',
  logs: 'logs',
  merged: 'merged',
} as const;

export interface SlurmPlanInput {
  studyFile: string;
  outDir: string;
  shards: number;
  workersPerTask?: number;
  partition?: string;
  time?: string;
  /** Study name, for job names. */
  studyName?: string;
  /** The node binary the tasks run; default: the one running now (the cluster shares the filesystem). */
  nodePath?: string;
  /** This package's `dse` script; default: the one running now (dse/package-layout.ts), so tasks need no global install. */
  dseBin?: string;
  /** Shown in the scripts' header comment. */
  createdAt?: string;
}

/** A checked plan: absolute paths, defaults filled in. */
export interface SlurmPlan {
  studyFile: string;
  outDir: string;
  shards: number;
  workersPerTask: number;
  partition: string | undefined;
  time: string | undefined;
  jobName: string;
  nodePath: string;
  dseBin: string;
  createdAt: string;
}

/** Validates the options of `dse slurm` and fills in defaults. Throws DseError naming the option. */
export function planSlurm(input: SlurmPlanInput): SlurmPlan {
  const { shards } = input;
  if (!Number.isSafeInteger(shards) || shards < 1) {
    throw new DseError('invalid_option', `must be a whole number >= 1, got ${shards}`, { path: '--shards' });
  }
  // Slurm's default MaxArraySize is 1001 (task ids 0..1000); larger arrays need the site's consent.
  if (shards > 1001) {
    throw new DseError('invalid_option', `${shards} shards exceed Slurm's default MaxArraySize (1001); use fewer, larger shards`, { path: '--shards' });
  }
  const workersPerTask = input.workersPerTask ?? 1;
  if (!Number.isSafeInteger(workersPerTask) || workersPerTask < 1) {
    throw new DseError('invalid_option', `must be a whole number >= 1, got ${workersPerTask}`, { path: '--workers-per-task' });
  }
  // These two go into #SBATCH lines unquoted, so only their plain forms are accepted.
  if (input.partition !== undefined && !/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(input.partition)) {
    throw new DseError('invalid_option', `'${input.partition}' is not a partition name (letters, digits, _ . -, comma-separated)`, { path: '--partition' });
  }
  if (input.time !== undefined && !/^(\d+(-\d+)?(:\d+){0,2}|UNLIMITED|INFINITE)$/i.test(input.time)) {
    throw new DseError('invalid_option', `'${input.time}' is not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]])`, { path: '--time' });
  }
  for (const [path, value] of [['study', input.studyFile], ['--out', input.outDir]] as const) {
    if (value.includes('\0')) throw new DseError('invalid_option', 'contains a NUL character', { path });
    if (value.length === 0) throw new DseError('invalid_option', 'is empty', { path });
  }
  const name = (input.studyName ?? 'study').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40) || 'study';
  return {
    studyFile: resolve(input.studyFile),
    outDir: resolve(input.outDir),
    shards,
    workersPerTask,
    partition: input.partition,
    time: input.time,
    jobName: `dse-${name}`,
    nodePath: input.nodePath ?? process.execPath,
    dseBin: input.dseBin ?? dseBinPath(),
    createdAt: input.createdAt ?? new Date().toISOString(),
  };
}

/** A string as one single-quoted bash word (core/inert-text.ts); bash cannot pass a NUL at all. */
export function shellQuote(s: string): string {
  if (s.includes('\0')) throw new DseError('invalid_option', 'a shell argument cannot contain a NUL character');
  return quoteWord(s);
}

/**
 * A value for an `#SBATCH --opt=<value>` line, or undefined when sbatch cannot read it back.
 * sbatch splits directive lines at blanks and strips single or double quotes, but (measured
 * on Slurm 22.05) a backslash does not escape, so a value with a backslash, a newline or both
 * quote characters has no safe spelling there; such values go only on the command line.
 */
export function sbatchDirectiveValue(s: string): string | undefined {
  if (/[\\\n\r\0]/.test(s)) return undefined;
  if (/^[A-Za-z0-9_./%:=,+-]+$/.test(s)) return s;
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return undefined;
}

export function shardDirOf(outDir: string, index: number): string {
  return join(outDir, `shard-${index}`);
}
export function shardLogOf(outDir: string, index: number): string {
  return join(outDir, SLURM_FILES.logs, `shard-${index}.log`);
}
/** Written by the task when `dse run` returns: its exit code. Missing means the task never finished. */
export function shardExitFileOf(outDir: string, index: number): string {
  return join(outDir, SLURM_FILES.logs, `shard-${index}.exit`);
}
export function mergeLogOf(outDir: string): string {
  return join(outDir, SLURM_FILES.logs, 'merge.log');
}
export function mergeExitFileOf(outDir: string): string {
  return join(outDir, SLURM_FILES.logs, 'merge.exit');
}
export function mergedDirOf(outDir: string): string {
  return join(outDir, SLURM_FILES.merged);
}

/** sbatch arguments (after `sbatch`) for the array; --chdir repeats the directive in a form that always works. */
export function arraySubmitArgs(plan: SlurmPlan): string[] {
  return ['--parsable', `--chdir=${plan.outDir}`, join(plan.outDir, SLURM_FILES.array)];
}

/** sbatch arguments for the merge job, which waits for every array task to succeed. */
export function mergeSubmitArgs(plan: SlurmPlan, arrayJobId: string): string[] {
  if (!/^\d+$/.test(arrayJobId)) throw new Error(`not a Slurm job id: '${arrayJobId}'`);
  return ['--parsable', `--chdir=${plan.outDir}`, `--dependency=afterok:${arrayJobId}`, join(plan.outDir, SLURM_FILES.merge)];
}

function directives(plan: SlurmPlan, lines: string[]): string[] {
  const out = [...lines];
  const chdir = sbatchDirectiveValue(plan.outDir);
  if (chdir !== undefined) out.push(`#SBATCH --chdir=${chdir}`);
  else out.push(`# (no #SBATCH --chdir: sbatch cannot read this path in a directive; submit.sh passes it)`);
  if (plan.partition) out.push(`#SBATCH --partition=${plan.partition}`);
  if (plan.time) out.push(`#SBATCH --time=${plan.time}`);
  return out;
}

function commonVariables(plan: SlurmPlan): string[] {
  return [
    `NODE=${shellQuote(plan.nodePath)}   # the node that wrote this script`,
    `DSE=${shellQuote(plan.dseBin)}   # accel-dse's command, run from this installation`,
    `STUDY=${shellQuote(plan.studyFile)}`,
    `OUT=${shellQuote(plan.outDir)}`,
  ];
}

/** The job array: one task per shard. */
export function arrayScript(plan: SlurmPlan): string {
  const last = plan.shards - 1;
  return [
    '#!/bin/bash',
    `# accel-dse: ${plan.shards} shards of the study ${plan.studyFile.replace(/\n/g, ' ')}`,
    `# Written by \`dse slurm\` at ${plan.createdAt}.`,
    '#',
    '# Array task i runs shard i of the study (`dse run --shard auto` reads SLURM_ARRAY_TASK_ID) into',
    '# $OUT/shard-i. --requeue lets Slurm rerun a task that was preempted or lost its node; the',
    "# rerun finds the shard's journal and continues it with --resume, so trials already in the",
    '# journal are not evaluated again. Logs append (--open-mode=append) across reruns.',
    '# The exit code of `dse run` is written to logs/shard-i.exit: `dse slurm --wait` reads it,',
    '# because without accounting Slurm forgets finished jobs after a few seconds.',
    ...directives(plan, [
      `#SBATCH --job-name=${plan.jobName}`,
      `#SBATCH --array=0-${last}`,
      '#SBATCH --ntasks=1',
      `#SBATCH --cpus-per-task=${plan.workersPerTask}`,
      '#SBATCH --requeue',
      '#SBATCH --open-mode=append',
      '#SBATCH --output=logs/shard-%a.log',
    ]),
    '',
    // Not -e: the exit code of dse run is recorded before the script exits with it.
    'set -uo pipefail',
    '',
    ...commonVariables(plan),
    `WORKERS=${plan.workersPerTask}   # worker threads per task (= --cpus-per-task)`,
    '',
    ': "${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is a job array}"',
    'shard_dir="$OUT/shard-$SLURM_ARRAY_TASK_ID"',
    'exit_file="$OUT/logs/shard-$SLURM_ARRAY_TASK_ID.exit"',
    'rm -f "$exit_file"',
    '',
    'if [[ -s "$shard_dir/journal.jsonl" ]]; then',
    '  # A rerun after preemption or a node failure: continue this shard\'s own journal.',
    '  echo "$(date -Is) shard $SLURM_ARRAY_TASK_ID: resuming $shard_dir on $(hostname)"',
    '  where=(--resume "$shard_dir")',
    'else',
    '  echo "$(date -Is) shard $SLURM_ARRAY_TASK_ID: starting $shard_dir on $(hostname)"',
    '  where=(--out "$shard_dir")',
    'fi',
    '',
    '# No report.html per shard: the merged run is the one people read.',
    '"$NODE" "$DSE" run "$STUDY" --shard auto --workers "$WORKERS" --no-report "${where[@]}"',
    'status=$?',
    'echo "$status" >"$exit_file"',
    'echo "$(date -Is) shard $SLURM_ARRAY_TASK_ID: dse run exited with $status"',
    'exit "$status"',
    '',
  ].join('\n');
}

/** The merge job: runs once every array task succeeded (submitted with --dependency=afterok). */
export function mergeScript(plan: SlurmPlan): string {
  return [
    '#!/bin/bash',
    `# accel-dse: merges the ${plan.shards} shards of ${plan.studyFile.replace(/\n/g, ' ')} into $OUT/merged.`,
    `# Written by \`dse slurm\` at ${plan.createdAt}.`,
    '#',
    '# Submitted with --dependency=afterok:<array job id> (see submit.sh): it starts only when every',
    '# shard succeeded. If a shard fails, this job never starts; cancel it, fix the cause, and',
    '# resubmit: finished shards resume from their journals, so only the missing work is done.',
    ...directives(plan, [
      `#SBATCH --job-name=${plan.jobName}-merge`,
      '#SBATCH --ntasks=1',
      '#SBATCH --cpus-per-task=1',
      '#SBATCH --requeue',
      '#SBATCH --open-mode=append',
      '#SBATCH --output=logs/merge.log',
    ]),
    '',
    'set -uo pipefail',
    '',
    ...commonVariables(plan),
    `SHARDS=${plan.shards}`,
    '',
    'shard_dirs=()',
    'for ((i = 0; i < SHARDS; i++)); do shard_dirs+=("$OUT/shard-$i"); done',
    'rm -f "$OUT/logs/merge.exit"',
    '',
    '# Merge into a scratch directory, then swap it in: a rerun (requeue, resubmission) replaces an',
    '# earlier merged/ whole, and nobody reads a half-written one.',
    'partial="$OUT/merged.partial"',
    'rm -rf "$partial"',
    'echo "$(date -Is) merging $SHARDS shards into $OUT/merged on $(hostname)"',
    '"$NODE" "$DSE" merge "${shard_dirs[@]}" --out "$partial"',
    'status=$?',
    'if [[ $status == 0 ]]; then',
    '  rm -rf "$OUT/merged" && mv "$partial" "$OUT/merged" || status=$?',
    'fi',
    'echo "$status" >"$OUT/logs/merge.exit"',
    'echo "$(date -Is) dse merge exited with $status"',
    'exit "$status"',
    '',
  ].join('\n');
}

/** The two sbatch calls, for a person submitting by hand (`bash submit.sh`). */
export function submitScript(plan: SlurmPlan): string {
  const q = shellQuote;
  const arrayArgs = arraySubmitArgs(plan).map(q).join(' ');
  const mergeArgs = mergeSubmitArgs(plan, '0').map((a) => (a === '--dependency=afterok:0' ? '--dependency=afterok:"$array_job"' : q(a))).join(' ');
  return [
    '#!/bin/bash',
    `# accel-dse: submits the shard array, then the merge job that waits for all shards to succeed.`,
    `# Written by \`dse slurm\` at ${plan.createdAt}; \`dse slurm ... --submit\` does the same.`,
    'set -euo pipefail',
    '',
    `OUT=${q(plan.outDir)}`,
    'mkdir -p "$OUT/logs"',
    '# Exit markers of an earlier submission would look like results of this one.',
    'rm -f "$OUT"/logs/*.exit',
    '',
    '# --parsable prints "<job id>" or "<job id>;<cluster>".',
    `array_job=$(sbatch ${arrayArgs})`,
    'array_job=${array_job%%;*}',
    `merge_job=$(sbatch ${mergeArgs})`,
    'merge_job=${merge_job%%;*}',
    '',
    'echo "array job $array_job, merge job $merge_job"',
    'echo "watch them with: squeue -j $array_job,$merge_job"',
    'echo "merged front, when done: $OUT/merged/front.json"',
    '',
  ].join('\n');
}

export interface WrittenScripts {
  array: string;
  merge: string;
  submit: string;
}

/** Writes the three scripts into the output directory (creating it and logs/). */
export function writeSlurmScripts(plan: SlurmPlan): WrittenScripts {
  if (!isAbsolute(plan.outDir)) throw new Error('planSlurm makes outDir absolute');
  makeDirectory(join(plan.outDir, SLURM_FILES.logs));
  const files: WrittenScripts = {
    array: join(plan.outDir, SLURM_FILES.array),
    merge: join(plan.outDir, SLURM_FILES.merge),
    submit: join(plan.outDir, SLURM_FILES.submit),
  };
  writeFileSync(files.array, arrayScript(plan), { mode: 0o755 });
  writeFileSync(files.merge, mergeScript(plan), { mode: 0o755 });
  writeFileSync(files.submit, submitScript(plan), { mode: 0o755 });
  return files;
}
