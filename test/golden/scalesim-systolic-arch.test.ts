/**
 * SCALE-Sim v2's cycle counts on the systolic architecture preset (the flat template expanded,
 * models/arch/from-flat-hardware.ts) under the mapping SCALE-Sim's dataflow implies
 * (systolic-dataflow-mapping.ts), with the per-fold fill/drain (systolic-folds.ts). Reference:
 * SCALE-Sim v2 (scalesim-project/scale-sim-v2, commit 22f88b1, CALC bandwidth mode, 32x32,
 * 64/64/64 KiB SRAMs), the runs recorded in test/golden/scalesim-sample.ts; SCALE-Sim reports the
 * zero-based last cycle, so compute cycles are total_cycles + 1.
 *
 * Only rows whose dims factor perfectly onto the array qualify (a mapping has exact factors;
 * SCALE-Sim's last partial fold is the flat model's ceil). The rows that do not are listed, so a
 * change in which rows qualify fails here too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArchitecture } from '../../models/arch/architecture-file.ts';
import { macLayers } from '../../models/arch/layer-shapes.ts';
import { scaleSimMapping } from '../../models/arch/systolic-dataflow-mapping.ts';
import { checkSystolicAxes, systolicFolds, withSystolicFolds } from '../../models/arch/systolic-folds.ts';
import { checkMapping } from '../../models/arch/validate-mapping.ts';
import { SCALESIM_SAMPLE, scaleSimConv } from './scalesim-sample.ts';

/**
 * Rows with no perfect factorization onto 32 x 32 (worked out by hand: the row operand's size, or the
 * column operand's, is not a multiple of its fold count, e.g. ws Conv1 C R S = 147 = 5 folds of 29.4;
 * docs/COST_MODEL.md "The flat template as an architecture").
 */
const NOT_PERFECT = new Set([
  'is conv Conv1', 'is conv Conv2_1a', 'is conv Conv3_s',
  'os conv Conv1', 'os conv Conv2_1a', 'os conv Conv3_s', 'os conv FC', 'os gemm Odd',
  'ws conv Conv1', 'ws conv FC', 'ws gemm Odd',
]);

for (const split of [false, true]) {
  for (const r of SCALESIM_SAMPLE) {
    const key = `${r.dataflow} ${r.mode} ${r.layer}`;
    test(`SCALE-Sim v2 ${key} on the systolic preset (${split ? 'split SRAMs' : 'shared GLB'}): compute cycles = total_cycles + 1`, () => {
      const buffers = split ? { ifmapSramKiB: 64, filterSramKiB: 64, ofmapSramKiB: 64 } : { glbKiB: 192 };
      const arch = parseArchitecture({ architecture: { preset: 'systolic', peRows: r.rows, peCols: r.cols, dataflow: r.dataflow, ...buffers } });
      const { layer } = macLayers(scaleSimConv({ ...r, name: r.layer }))[0]!;
      const mapping = scaleSimMapping(arch, layer);
      if (NOT_PERFECT.has(key)) {
        assert.equal(mapping, null);
        return;
      }
      assert.ok(mapping, 'a perfect factorization exists');
      checkSystolicAxes(arch, mapping);
      const cost = withSystolicFolds(arch, mapping, checkMapping(arch, layer, mapping));
      assert.equal(cost.computeCycles, r.totalCycles + 1);
      assert.equal(cost.macs, layer.N * layer.C * layer.K * layer.P * layer.Q * layer.R * layer.S);
      assert.ok(cost.cycles >= cost.computeCycles);
      assert.ok(systolicFolds(arch.compute.systolic!, mapping) >= 1);
    });
  }
}

test('13 of the 24 SCALE-Sim rows factor perfectly onto the 32 x 32 array', () => {
  assert.equal(SCALESIM_SAMPLE.length - NOT_PERFECT.size, 13);
});
