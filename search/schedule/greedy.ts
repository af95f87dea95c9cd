import type { Schedule, ScheduleProblem } from './replay.ts';

/**
 * Greedy fusion and residency in the workload's own op order. Every tensor's life is cut into
 * gaps between consecutive on-chip uses (producer, then consumers that run from on-chip
 * memory). A gap between neighbouring ops costs no memory (the tensor is an operand at both
 * ends), so it is always kept: that is vertical fusion. Longer gaps (residual skips, K and V)
 * are kept shortest first, largest first on ties, whenever the tensor fits at every step it
 * spans; a kept gap saves one read, and a tensor whose gaps are all kept is never written.
 * Starting from layer-by-layer and only removing traffic, it never does worse than `none`.
 */
export function scheduleGreedy(problem: ScheduleProblem): Schedule {
  const { ops, tensors } = problem;
  // On-chip bytes per step before any residency: the operands of ops that run on chip.
  const occupancy = ops.map((o) => (o.streamed ? 0 : o.footprintBytes));
  interface Gap { tensor: string; bytes: number; from: number; to: number }
  const gaps: Gap[] = [];
  for (const t of tensors.values()) {
    const uses: number[] = [];
    if (t.producer >= 0 && !ops[t.producer]!.streamed) uses.push(t.producer);
    for (const c of t.consumers) if (!ops[c]!.streamed) uses.push(c);
    // A network input's first use is a load whatever happens; gaps start there too.
    for (let k = 1; k < uses.length; k++) gaps.push({ tensor: t.id, bytes: t.bytes, from: uses[k - 1]!, to: uses[k]! });
  }
  gaps.sort((a, b) => a.to - a.from - (b.to - b.from) || b.bytes - a.bytes || a.from - b.from);
  const kept = new Set<string>();
  const key = (t: string, to: number): string => `${t}@${to}`;
  for (const g of gaps) {
    let fits = true;
    for (let p = g.from + 1; p < g.to; p++) if (occupancy[p]! + g.bytes > problem.capacityBytes) { fits = false; break; }
    if (!fits) continue;
    for (let p = g.from + 1; p < g.to; p++) occupancy[p]! += g.bytes;
    kept.add(key(g.tensor, g.to));
  }
  const onChipReads: Record<string, string[]> = {};
  const onChipWrites: string[] = [];
  for (const t of tensors.values()) {
    let allKept = true;
    for (const c of t.consumers) {
      if (kept.has(key(t.id, c))) (onChipReads[ops[c]!.name] ??= []).push(t.id);
      else allKept = false;
    }
    const producerOnChip = t.producer >= 0 && !ops[t.producer]!.streamed;
    if (producerOnChip && !t.isOutput && allKept) onChipWrites.push(t.id);
  }
  return { order: ops.map((o) => o.name), plan: { onChipReads, onChipWrites } };
}
