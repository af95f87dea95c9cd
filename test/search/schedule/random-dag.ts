import fc from 'fast-check';
import type { Workload } from '../../../models/types.ts';

/** Test helper: small random workload DAGs of element-wise ops (1 byte per element at 8 bits). */
export interface DagSpec {
  inputSizes: number[];
  ops: { inputs: number[]; outSize: number }[];
}

export function dagArb(maxOps: number): fc.Arbitrary<DagSpec> {
  return fc
    .record({
      inputSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }),
      ops: fc.array(fc.record({ picks: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), outSize: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: maxOps }),
    })
    .map(({ inputSizes, ops }) => {
      let available = inputSizes.length;
      const out = ops.map((o) => {
        // Picks favour recent tensors, so graphs look like networks (chains with skips).
        const inputs = [...new Set(o.picks.map((k) => available - 1 - (k % Math.min(available, 4))))];
        available++;
        return { inputs, outSize: o.outSize };
      });
      return { inputSizes, ops: out };
    });
}

export function dagWorkload(spec: DagSpec): Workload {
  const tensors: Workload['tensors'] = {};
  const ids: string[] = [];
  spec.inputSizes.forEach((s, i) => { const id = `in${i}`; tensors[id] = { id, elements: s, kind: 'input' }; ids.push(id); });
  const ops = spec.ops.map((o, i) => {
    const id = `t${i}`;
    tensors[id] = { id, elements: o.outSize, kind: 'activation' };
    const op = { kind: 'eltwise' as const, fn: 'add' as const, name: `op${i}`, inputs: o.inputs.map((k) => ids[k]!), output: id, elements: o.outSize };
    ids.push(id);
    return op;
  });
  return { name: 'random-dag', params: {}, tensors, ops };
}
