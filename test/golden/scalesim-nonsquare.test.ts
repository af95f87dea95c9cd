/**
 * Systolic compute on non-square arrays, checked against SCALE-Sim v2's model
 * (scalesim-project/scale-sim-v2, commit 22f88b1), whose compute model is (verified exact on
 * its recorded runs):
 *   - output size E = ceil((H - Fh + S) / S); Npx = E_h * E_w, K = Fh * Fw * C, M = filters;
 *   - operand matrix (Sr, Sc, T): os = (Npx, M, K), ws = (K, M, Npx), is = (K, Npx, M);
 *   - folds = ceil(Sr / R) * ceil(Sc / C) on an R x C array (R rows, C columns);
 *   - cycles per fold: os = R + C + T - 2, ws = is = 2R + C + T - 2;
 *   - reported total cycles = folds * per_fold - 1;
 *   - mapping efficiency = mean over folds of used PEs / (R * C).
 * The rules are re-implemented below, independently of models/cost/systolic.ts (mapping
 * efficiency by enumerating every fold and the PEs it occupies), anchored first on the recorded
 * 32x32 rows of SCALE-Sim v2's runs (test/golden/scalesim-sample.ts),
 * then applied to non-square arrays,
 * where a swap of rows and columns anywhere in the model would show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systolicConv, mappingEfficiency } from '../../models/cost/systolic.ts';
import { evaluateLayer } from '../../models/cost/evaluate.ts';
import { normalizeHardware } from '../../models/hardware.ts';
import type { Dataflow, Workload } from '../../models/types.ts';
import { SCALESIM_SAMPLE, scaleSimConv, type ScaleSimLayer } from './scalesim-sample.ts';

type Layer = ScaleSimLayer & { mode: string };
interface SampleRow { dataflow: Dataflow; layer: Layer; totalCycles: number; mappingEffPct: number }

const sample: SampleRow[] = SCALESIM_SAMPLE.map((r) => ({
  dataflow: r.dataflow,
  layer: { mode: r.mode, name: r.layer, H: r.H, W: r.W, Fh: r.Fh, Fw: r.Fw, C: r.C, M: r.M, stride: r.stride },
  totalCycles: r.totalCycles,
  mappingEffPct: r.mappingEffPct,
}));
const layers: Layer[] = [...new Map(sample.map((r) => [`${r.layer.mode}/${r.layer.name}`, r.layer])).values()];
const DATAFLOWS: Dataflow[] = ['os', 'ws', 'is'];
const ARRAYS: [number, number][] = [[8, 32], [32, 8], [16, 128], [128, 16], [12, 14], [14, 12], [1, 64], [64, 1]];

/** Independent re-implementation of the stated SCALE-Sim v2 rules: reported cycles and per-fold mapping efficiency. */
function reference(l: Layer, R: number, C: number, df: Dataflow): { reportedCycles: number; mappingEff: number; folds: number } {
  const eh = Math.ceil((l.H - l.Fh + l.stride) / l.stride);
  const ew = Math.ceil((l.W - l.Fw + l.stride) / l.stride);
  const npx = eh * ew;
  const k = l.Fh * l.Fw * l.C;
  const [sr, sc, t] = df === 'os' ? [npx, l.M, k] : df === 'ws' ? [k, l.M, npx] : [k, npx, l.M];
  let folds = 0;
  let effSum = 0;
  // Walk the operand matrix fold by fold: a fold covers up to R of its rows and C of its columns.
  for (let r0 = 0; r0 < sr; r0 += R) {
    for (let c0 = 0; c0 < sc; c0 += C) {
      const usedRows = Math.min(R, sr - r0);
      const usedCols = Math.min(C, sc - c0);
      effSum += (usedRows * usedCols) / (R * C);
      folds++;
    }
  }
  const perFold = df === 'os' ? R + C + t - 2 : 2 * R + C + t - 2;
  return { reportedCycles: folds * perFold - 1, mappingEff: effSum / folds, folds };
}


const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-12;

test('the re-implemented rules reproduce every recorded 32x32 SCALE-Sim v2 row', () => {
  assert.equal(sample.length, 24);
  assert.equal(layers.length, 8);
  for (const r of sample) {
    const ref = reference(r.layer, 32, 32, r.dataflow);
    assert.equal(ref.reportedCycles, r.totalCycles, `${r.dataflow} ${r.layer.name}`);
    assert.ok(Math.abs(ref.mappingEff - r.mappingEffPct / 100) < 1e-12, `${r.dataflow} ${r.layer.name}: ${ref.mappingEff}`);
  }
});

for (const [R, C] of ARRAYS) {
  test(`non-square ${R}x${C} array: cycles and per-fold mapping efficiency of every sample layer and dataflow follow SCALE-Sim v2's rules`, () => {
    for (const l of layers) {
      const op = scaleSimConv(l);
      for (const df of DATAFLOWS) {
        const ref = reference(l, R, C, df);
        const what = `${R}x${C} ${df} ${l.mode} ${l.name}`;
        const s = systolicConv(op, op.outH!, op.outW!, R, C, df);
        assert.equal(s.folds, ref.folds, `folds ${what}`);
        assert.equal(s.computeCycles, ref.reportedCycles + 1, `cycles ${what}`);
        assert.ok(close(mappingEfficiency(s, R, C), ref.mappingEff), `mapping efficiency ${what}: ${mappingEfficiency(s, R, C)} vs ${ref.mappingEff}`);

        // The full layer evaluation on a design with this array uses the same compute term.
        const hw = normalizeHardware({ peRows: R, peCols: C, dataflow: df, ifmapSramKiB: 64, filterSramKiB: 64, ofmapSramKiB: 64 });
        const outElems = op.outH! * op.outW! * l.M;
        const wl: Workload = { name: 'golden', params: {}, tensors: { x: { id: 'x', elements: l.H * l.W * l.C, kind: 'input' }, y: { id: 'y', elements: outElems, kind: 'activation' } }, ops: [op] };
        const lm = evaluateLayer(hw, op, wl);
        assert.equal(lm.computeCycles, ref.reportedCycles + 1, `evaluateLayer cycles ${what}`);
        assert.ok(close(lm.mappingEfficiency, ref.mappingEff), `evaluateLayer mapping efficiency ${what}`);
      }
    }
  });
}

test('transposing a non-square array changes the result (rows and columns are not interchangeable)', () => {
  // os on the FC layer: Sr = Npx = 1, Sc = M = 1000. An 8x32 array folds ceil(1000/32) = 32
  // times, a 32x8 array ceil(1000/8) = 125 times.
  const fc = layers.find((l) => l.name === 'FC')!;
  const op = scaleSimConv(fc);
  const a = systolicConv(op, 1, 1, 8, 32, 'os');
  const b = systolicConv(op, 1, 1, 32, 8, 'os');
  assert.equal(a.folds, 32);
  assert.equal(b.folds, 125);
  assert.equal(a.computeCycles, 32 * (8 + 32 + 512 - 2));
  assert.equal(b.computeCycles, 125 * (32 + 8 + 512 - 2));
});
