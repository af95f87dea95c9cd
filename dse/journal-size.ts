import { statfsSync } from 'node:fs';

/**
 * The journal size a run is heading for, estimated from its first batch, and a warning when
 * that is large (a `--budget 1e9` typed for 1e6 would fill a disk) or more than the free space.
 */
export const LARGE_JOURNAL_BYTES = 10 * 1024 ** 3;

export function journalSizeWarning(opts: { dir: string; bytesPerTrial: number; trialsLeft: number }): string | undefined {
  const estimate = opts.bytesPerTrial * opts.trialsLeft;
  let free: number | undefined;
  try {
    const fs = statfsSync(opts.dir);
    free = fs.bavail * fs.bsize;
  } catch {
    // No statfs here: judge by size alone.
  }
  const tooBig = estimate > LARGE_JOURNAL_BYTES;
  const noRoom = free !== undefined && estimate > free;
  if (!tooBig && !noRoom) return undefined;
  const room = free === undefined ? '' : `; ${bytes(free)} free there`;
  return (
    `this run will write about ${bytes(estimate)} more of journal (${opts.trialsLeft.toLocaleString('en-US')} trials at ~${Math.round(opts.bytesPerTrial)} bytes each, from the first batch)${room}` +
    `${noRoom ? ': the disk will fill up' : ''}; stop with Ctrl-C (the run resumes with --resume) and lower the budget if that is not what you meant`
  );
}

function bytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Number(n.toPrecision(3))} ${units[i]}`;
}
