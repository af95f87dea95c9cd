import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemminiLike } from '../../../models/arch/presets.ts';
import { attentionLayers, macLayers } from '../../../models/arch/layer-shapes.ts';
import { MapperCache } from '../../../models/arch/mapper.ts';
import { evaluateMapping } from '../../../models/arch/mapping-model.ts';
import { costVectorStream } from '../../../models/arch/vector-op-cost.ts';
import { attentionSoftmaxStream } from '../../../models/arch/vector-op-streams.ts';
import { costOnArchitecture } from '../../../models/arch/workload-cost.ts';
import { opMacs } from '../../../models/op-size.ts';
import type { AttentionOp, MatmulOp, Workload } from '../../../models/types.ts';
import { listZoo, loadWorkload } from '../../../models/workload/load-workload.ts';

const macsOf = (l: { N: number; C: number; K: number; P: number; Q: number; R: number; S: number }): number => l.N * l.C * l.K * l.P * l.Q * l.R * l.S;

test('grouped-query decode attention: Q K^T and P V per K/V group, the group\'s query heads as rows', () => {
  // 2 sequences, 8 query heads sharing 2 K/V heads (groups of 4), one new token against 100 keys, head size 16.
  const op: AttentionOp = { kind: 'attention', name: 'attn', inputs: ['q', 'k', 'v'], output: 'o', batch: 2, heads: 8, kvHeads: 2, seqQ: 1, seqKV: 100, headDim: 16, causal: true };
  const [qk, pv] = attentionLayers(op);
  // Per group: S[4, 100] = Q[4, 16] K^T[16, 100]; O[4, 16] = P[4, 100] V[100, 16]; 2 x 2 groups.
  assert.deepEqual(qk, { name: 'attn.qk', layer: { N: 1, C: 16, K: 100, P: 4, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 }, repeat: 4 });
  assert.deepEqual(pv, { name: 'attn.pv', layer: { N: 1, C: 100, K: 16, P: 4, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 }, repeat: 4 });
  // MACs: 2 products x 2 x 8 heads x 100 keys x 16 = 51,200.
  assert.equal(4 * macsOf(qk!.layer) + 4 * macsOf(pv!.layer), 51200);
  assert.equal(opMacs(op), 51200);
});

test('causal prefill attention computes the lower triangle: the dense products scaled by the share of pairs', () => {
  const op: AttentionOp = { kind: 'attention', name: 'a', inputs: ['q', 'k', 'v'], output: 'o', batch: 1, heads: 2, seqQ: 4, seqKV: 4, headDim: 8, causal: true };
  // 1 + 2 + 3 + 4 = 10 of 16 pairs, 2 heads: repeat 2 x 10/16.
  for (const l of attentionLayers(op)) assert.equal(l.repeat, 1.25);
});

test('a mixture of experts runs the expected distinct experts, each on its share of the routed rows', () => {
  const op: MatmulOp = { kind: 'matmul', name: 'moe', inputs: ['x', 'r'], output: 'y', m: 3, n: 32, k: 16, count: 1, weightOperand: true, moe: { experts: 8, topK: 2 } };
  // D = 8 (1 - (6/8)^3) = 4.625 experts for 6 routed rows (1.297 each): 3.25 one-row and 1.375 two-row matmuls.
  const [one, two] = macLayers(op);
  assert.equal(one!.layer.P, 1);
  assert.equal(two!.layer.P, 2);
  assert.ok(Math.abs(one!.repeat - 3.25) < 1e-12 && Math.abs(two!.repeat - 1.375) < 1e-12, `${one!.repeat} ${two!.repeat}`);
  assert.ok(Math.abs(one!.repeat * macsOf(one!.layer) + two!.repeat * macsOf(two!.layer) - opMacs(op)) < 1e-6);
});

test('every zoo network\'s MAC layers on an architecture do exactly its MACs', () => {
  for (const z of listZoo()) {
    const w = loadWorkload(z.name);
    for (const op of w.ops) {
      const macs = macLayers(op).reduce((s, l) => s + l.repeat * macsOf(l.layer), 0);
      assert.ok(Math.abs(macs - opMacs(op)) <= 1e-9 * opMacs(op), `${z.name} ${op.name}: ${macs} vs ${opMacs(op)}`);
    }
  }
});

test('an attention op on an architecture costs its two mapped products plus its softmax on the lanes', () => {
  const arch = gemminiLike({ peDim: 8, scratchpadKiB: 64, accumulatorKiB: 16 });
  const op: AttentionOp = { kind: 'attention', name: 'attn', inputs: ['q', 'k', 'v'], output: 'o', batch: 1, heads: 4, kvHeads: 2, seqQ: 1, seqKV: 64, headDim: 32, causal: true };
  const w: Workload = {
    name: 'w',
    params: {},
    tensors: {
      q: { id: 'q', elements: 128, kind: 'input' },
      k: { id: 'k', elements: 4096, kind: 'input', persistent: true },
      v: { id: 'v', elements: 4096, kind: 'input', persistent: true },
      o: { id: 'o', elements: 128, kind: 'activation' },
    },
    ops: [op],
  };
  const cache = new MapperCache();
  const m = costOnArchitecture({ architecture: arch, clockMHz: 500, objective: 'edp', cache }, w);
  const parts = attentionLayers(op).map((l) => ({ c: evaluateMapping(arch, l.layer, cache.get(arch, l.layer, 'edp').mapping), r: l.repeat }));
  const softmax = costVectorStream(arch, attentionSoftmaxStream(op, 64, 8));
  const cycles = parts.reduce((s, p) => s + p.c.cycles * p.r, 0) + softmax.cycles;
  const energy = parts.reduce((s, p) => s + p.c.energyPJ * p.r, 0) + softmax.energyPJ;
  assert.equal(m.layers.length, 1);
  assert.equal(m.macs, opMacs(op));
  assert.equal(m.layers[0]!.latencyCycles, cycles);
  assert.ok(Math.abs(m.energyPJ - energy) <= 1e-9 * energy);
  assert.equal(m.latencyS, cycles / 500e6);
  // The softmax: 4 heads x 64 scores in and out, 3 adds and 3 multiplies each on 8 lanes.
  assert.equal(softmax.computeCycles, Math.ceil((256 * 6) / 8));
  assert.ok(m.energyBreakdownPJ.other > 0 && m.energyBreakdownPJ.mac > 0);
});

test('Llama-3-8B decode runs on the gemmini-like preset: every op costed, MACs the workload\'s', () => {
  const w = loadWorkload('llama3_8b', { context: 256 });
  const m = costOnArchitecture({ architecture: gemminiLike({ peDim: 16, scratchpadKiB: 256, accumulatorKiB: 64 }), clockMHz: 1000, objective: 'edp', cache: new MapperCache() }, w);
  assert.equal(m.layers.length, w.ops.length);
  assert.ok(Math.abs(m.macs - w.ops.reduce((s, op) => s + opMacs(op), 0)) < 1);
  for (const l of m.layers) assert.ok(l.latencyCycles > 0 && l.energyPJ > 0 && Number.isFinite(l.energyPJ), l.name);
  assert.ok(m.dramBytes >= m.compulsoryDramBytes);
});
