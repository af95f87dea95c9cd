import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDseError } from '../../../core/errors.ts';
import type { Op, Workload } from '../../../models/types.ts';
import { validateGraph } from '../../../models/workload/validate-graph.ts';

function graph(sizes: number[], op: Op): Workload {
  const tensors: Workload['tensors'] = {};
  sizes.forEach((elements, i) => (tensors[`x${i}`] = { id: `x${i}`, elements, kind: 'input' }));
  tensors[op.output] = { id: op.output, elements: (op as { elements: number }).elements, kind: 'activation' };
  return { name: 'g', params: {}, tensors, ops: [op] };
}

const eltwise = (fn: 'add' | 'mul' | 'concat', inputs: number, elements: number): Op => ({
  kind: 'eltwise', name: 'e', fn, inputs: Array.from({ length: inputs }, (_, i) => `x${i}`), output: 'e', elements,
});

function refused(w: Workload, pattern: RegExp): void {
  assert.throws(() => validateGraph(w, 'g.yaml'), (e: unknown) => isDseError(e) && e.path === 'ops[0].inputs' && pattern.test(e.message));
}

test('element-wise inputs must fit: equal or broadcasting add/mul, concat adding up', () => {
  validateGraph(graph([4096, 4096], eltwise('add', 2, 4096)));
  validateGraph(graph([4096, 64], eltwise('mul', 2, 4096)), 'a per-channel scale broadcasts');
  validateGraph(graph([100, 28], eltwise('concat', 2, 128)));
  refused(graph([14400, 16384], eltwise('add', 2, 16384)), /e: add joins 'x0' 14400, 'x1' 16384 elements, which neither match nor broadcast to its 16384/);
  refused(graph([4096, 4096], eltwise('add', 2, 8192)), /neither match nor broadcast/);
  refused(graph([100, 27], eltwise('concat', 2, 128)), /e: concat of 'x0' 100, 'x1' 27 elements gives 127, but the op has 128/);
});
