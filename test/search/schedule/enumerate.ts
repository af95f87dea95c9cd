import type { Workload } from '../../../models/types.ts';

/**
 * Test oracle, written apart from the scheduler: tries every topological order and, for every
 * tensor, every keep/drop choice for each gap between consecutive on-chip uses, and returns
 * the least activation DRAM traffic (reads + writes) of any schedule that fits, or Infinity.
 * Model: an op runs from on-chip memory with all inputs and its output on chip; one whose
 * inputs + output exceed the capacity runs tiled from DRAM in 'stream' mode (reads its inputs,
 * writes its output, holds nothing) and makes the problem infeasible in 'infeasible' mode.
 */
export function enumerateOptimum(w: Workload, capacity: number, mode: 'stream' | 'infeasible', limit = 400_000): { best: number; compulsory: number; work: number } {
  const bytes = (id: string): number => w.tensors[id]!.elements;
  const ops = w.ops.map((o) => ({ name: o.name, inputs: [...new Set(o.inputs)], output: o.output }));
  const n = ops.length;
  const producer = new Map<string, number>();
  ops.forEach((o, i) => producer.set(o.output, i));
  const consumerLists = new Map<string, number[]>();
  for (const id of Object.keys(w.tensors)) consumerLists.set(id, ops.flatMap((o, i) => (o.inputs.includes(id) ? [i] : [])));
  const consumersOf = (id: string): number[] => consumerLists.get(id)!;
  const allTensors = Object.keys(w.tensors).filter((id) => producer.has(id) || consumersOf(id).length > 0);
  const foot = ops.map((o) => o.inputs.reduce((s, id) => s + bytes(id), 0) + bytes(o.output));
  const streamed = foot.map((f) => f > capacity);
  let compulsory = 0;
  for (const id of allTensors) {
    const isInput = w.tensors[id]!.kind === 'input';
    if ((isInput && consumersOf(id).length > 0) || (!isInput && consumersOf(id).length === 0)) compulsory += bytes(id);
  }
  if (mode === 'infeasible' && streamed.some((s) => s)) return { best: Infinity, compulsory, work: 0 };

  let best = Infinity;
  let work = 0;
  const order: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const evaluate = (): void => {
    const pos = new Array<number>(n);
    order.forEach((op, p) => { pos[op] = p; });
    // Gaps between consecutive on-chip uses, per tensor.
    const gaps: { id: string; a: number; b: number }[] = [];
    for (const id of allTensors) {
      const uses: number[] = [];
      const pr = producer.get(id);
      if (pr !== undefined && !streamed[pr]) uses.push(pos[pr]!);
      for (const c of consumersOf(id)) if (!streamed[c]) uses.push(pos[c]!);
      uses.sort((x, y) => x - y);
      for (let k = 1; k < uses.length; k++) gaps.push({ id, a: uses[k - 1]!, b: uses[k]! });
    }
    work += 2 ** gaps.length;
    if (work > limit) return;
    for (let mask = 0; mask < 2 ** gaps.length; mask++) {
      const occ = order.map((op) => (streamed[op] ? 0 : foot[op]!));
      const keptEnd = new Set<string>();
      gaps.forEach((g, k) => {
        if (!(mask & (1 << k))) return;
        for (let p = g.a + 1; p < g.b; p++) occ[p]! += bytes(g.id);
        keptEnd.add(`${g.id}@${g.b}`);
      });
      if (occ.some((o) => o > capacity)) continue;
      let cost = 0;
      for (const id of allTensors) {
        const isInput = w.tensors[id]!.kind === 'input';
        const pr = producer.get(id);
        let dramReads = 0;
        for (const c of consumersOf(id)) {
          if (streamed[c] || !keptEnd.has(`${id}@${pos[c]}`)) { cost += bytes(id); dramReads++; }
        }
        if (!isInput) {
          const isOutput = consumersOf(id).length === 0;
          const mustWrite = isOutput || streamed[pr!] || dramReads > 0;
          if (mustWrite) cost += bytes(id);
        }
      }
      best = Math.min(best, cost);
    }
  };
  const rec = (): void => {
    if (work > limit) return;
    if (order.length === n) { evaluate(); return; }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const ready = ops[i]!.inputs.every((id) => { const pr = producer.get(id); return pr === undefined || used[pr]; });
      if (!ready) continue;
      used[i] = true; order.push(i);
      rec();
      order.pop(); used[i] = false;
    }
  };
  rec();
  return { best, compulsory, work };
}
