import { stableHash } from '../../core/hash.ts';
import type { Workload } from '../../models/types.ts';
import { scheduleWorkload, type ScheduleOptions, type ScheduleResult } from './index.ts';

/**
 * Schedules cached by (workload hash, capacity, bitwidths, policy, solver settings). A design
 * search evaluates many designs sharing a capacity and bitwidths, and a schedule depends on
 * nothing else, so each distinct key is solved once per thread. Bounded LRU; concurrent
 * requests for one key share one solve. Results are shared: treat them as read-only.
 */
const DEFAULT_ENTRIES = 256;
let maxEntries = DEFAULT_ENTRIES;
const entries = new Map<string, Promise<ScheduleResult>>();
const workloadHashes = new WeakMap<Workload, string>();
let hits = 0;
let misses = 0;

export function scheduleCacheKey(workload: Workload, opts: ScheduleOptions): string {
  let wh = workloadHashes.get(workload);
  if (wh === undefined) {
    wh = stableHash(workload);
    workloadHashes.set(workload, wh);
  }
  return stableHash({
    workload: wh,
    capacityBytes: opts.capacityBytes,
    activationBits: opts.activationBits,
    weightBits: opts.weightBits ?? opts.activationBits,
    policy: opts.policy,
    solver: opts.policy === 'ilp' ? (opts.solver ?? 'highs') : 'none',
    timeLimitS: opts.policy === 'ilp' ? (opts.timeLimitS ?? 10) : 0,
    oversizedOps: opts.oversizedOps ?? 'stream',
    maxPieceOps: opts.maxPieceOps ?? 40,
    exactShortcuts: opts.exactShortcuts ?? true,
  });
}

export function scheduleWorkloadCached(workload: Workload, opts: ScheduleOptions): Promise<ScheduleResult> {
  const key = scheduleCacheKey(workload, opts);
  const found = entries.get(key);
  if (found) {
    hits++;
    entries.delete(key);
    entries.set(key, found);
    return found;
  }
  misses++;
  const p = scheduleWorkload(workload, opts);
  entries.set(key, p);
  // A failed solve is not cached: the next request tries again.
  p.catch(() => { if (entries.get(key) === p) entries.delete(key); });
  while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  return p;
}

export function clearScheduleCache(newMaxEntries = DEFAULT_ENTRIES): void {
  entries.clear();
  maxEntries = Math.max(1, newMaxEntries);
  hits = 0;
  misses = 0;
}

export function scheduleCacheStats(): { entries: number; maxEntries: number; hits: number; misses: number } {
  return { entries: entries.size, maxEntries, hits, misses };
}
