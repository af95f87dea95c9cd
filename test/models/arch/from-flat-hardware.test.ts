import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseArchitecture } from '../../../models/arch/architecture-file.ts';
import { architectureYaml } from '../../../models/arch/architecture-yaml.ts';
import { architectureFromHardware } from '../../../models/arch/from-flat-hardware.ts';
import { parseMappingString } from '../../../models/arch/mapping-string.ts';
import { checkMapping } from '../../../models/arch/validate-mapping.ts';
import { checkSystolicAxes, foldOverheadCycles, systolicFolds, withSystolicFolds } from '../../../models/arch/systolic-folds.ts';
import { areaBreakdownMM2 } from '../../../models/cost/area.ts';
import { normalizeHardware } from '../../../models/hardware.ts';
import { isDseError } from '../../../core/errors.ts';

test('the flat default expands to DRAM -> IfmapSRAM -> FilterSRAM -> OfmapSRAM -> Registers over a 32 x 32 ws array', () => {
  const hw = normalizeHardware({});
  const a = architectureFromHardware(hw);
  assert.deepEqual(a.levels.map((l) => [l.name, l.keeps.join(''), l.instances]), [
    ['DRAM', 'WIO', 1], ['IfmapSRAM', 'I', 1], ['FilterSRAM', 'W', 1], ['OfmapSRAM', 'O', 1], ['Registers', 'W', 1024],
  ]);
  assert.deepEqual(a.levels[3]!.spatialDims, ['C', 'R', 'S', 'K']);
  assert.deepEqual(a.compute.systolic, { rows: 32, cols: 32, dataflow: 'ws' });
  // 25.6 GB/s at 1000 MHz with 8-bit words: 25.6 words per cycle.
  assert.ok(Math.abs(a.levels[0]!.bandwidthWordsPerCycle! - 25.6) < 1e-12);
  // 64 KiB of 32-bit partial sums; 64 B of 8-bit weights per PE.
  assert.equal(a.levels[3]!.capacityWords, 16384);
  assert.equal(a.levels[4]!.capacityWords, 64);
  // Area: the flat model's PEs + SRAM (its vector unit has no level here).
  const flat = areaBreakdownMM2(hw);
  const archUM2 = a.levels.reduce((s, l) => s + l.instances * l.areaUM2, 0) + a.compute.instances * a.compute.areaUM2;
  assert.ok(Math.abs(archUM2 / 1e6 - (flat.pes + flat.sram)) < 1e-9);
});

test('a shared GLB is one level keeping W, I, O; os and is put their own dims on the array', () => {
  const os = architectureFromHardware(normalizeHardware({ glbKiB: 128, dataflow: 'os', peRows: 8, peCols: 16 }));
  assert.deepEqual(os.levels.map((l) => l.name), ['DRAM', 'GLB', 'Registers']);
  assert.deepEqual(os.levels[1]!.spatialDims, ['N', 'P', 'Q', 'K']);
  assert.deepEqual(os.levels[2]!.keeps, ['O']);
  const is = architectureFromHardware(normalizeHardware({ glbKiB: 128, dataflow: 'is' }));
  assert.deepEqual(is.levels[1]!.spatialDims, ['C', 'R', 'S', 'N', 'P', 'Q']);
  assert.deepEqual(is.levels[2]!.keeps, ['I']);
});

test('the written architecture file reads back to the same architecture', () => {
  for (const raw of [{}, { glbKiB: 96, dataflow: 'os', techNode: '16nm', dramGBps: 8, clockMHz: 800 }, { dataflow: 'is', weightBits: 4, rfBytes: 16 }]) {
    const a = architectureFromHardware(normalizeHardware(raw));
    assert.deepEqual(parseArchitecture(parse(architectureYaml(a))), a);
  }
});

test('the systolic preset is the expansion of its flat fields', () => {
  const fields = { peRows: 16, peCols: 64, dataflow: 'os', glbKiB: 256, rfBytes: 16 };
  assert.deepEqual(parseArchitecture({ architecture: { preset: 'systolic', ...fields } }), architectureFromHardware(normalizeHardware(fields)));
});

test('bad systolic inputs name the field', () => {
  const fieldOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      assert.ok(isDseError(e));
      return e.path;
    }
    return 'no error';
  };
  assert.equal(fieldOf(() => parseArchitecture({ architecture: { preset: 'systolic', peRow: 16 } })), 'architecture.peRow');
  assert.equal(fieldOf(() => parseArchitecture({ architecture: { preset: 'systolic', peRows: 0 } })), 'architecture.peRows');
  assert.equal(fieldOf(() => parseArchitecture({ architecture: { preset: 'systolic', rfBytes: 1, dataflow: 'os' } })), 'architecture.rfBytes');
  const own = { levels: [{ name: 'DRAM', class: 'DRAM' }], compute: { instances: 64, systolic: { rows: 8, cols: 4, dataflow: 'ws' } } };
  assert.equal(fieldOf(() => parseArchitecture({ architecture: own })), 'architecture.compute.systolic');
  own.compute.systolic.cols = 8;
  (own.compute.systolic as { dataflow: string }).dataflow = 'rs';
  assert.equal(fieldOf(() => parseArchitecture({ architecture: own })), 'architecture.compute.systolic.dataflow');
});

test('folds follow the loop order: a stationary loop inside a streaming one refills the array at every step', () => {
  const arch = architectureFromHardware(normalizeHardware({ glbKiB: 512, peRows: 4, peCols: 4 })); // ws
  const layer = { N: 1, C: 8, K: 8, P: 10, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 };
  const a = arch.compute.systolic!;
  assert.equal(foldOverheadCycles(a), 2 * 4 + 4 - 2);
  // SCALE-Sim's order: C and K folds outside, P streams: 2 x 2 folds of 10 steps + 10 cycles each.
  const outer = parseMappingString('L2[WIO] C2 K2 P10 - L1[WIO] C4X K4X - L0[W] N1', 3);
  assert.equal(systolicFolds(a, outer), 4);
  assert.equal(withSystolicFolds(arch, outer, checkMapping(arch, layer, outer)).computeCycles, 4 * (10 + 10));
  // P outside K: the weights change at every step of P x K x C.
  const inner = parseMappingString('L2[WIO] C2 P10 K2 - L1[WIO] C4X K4X - L0[W] N1', 3);
  assert.equal(systolicFolds(a, inner), 40);
  assert.equal(withSystolicFolds(arch, inner, checkMapping(arch, layer, inner)).computeCycles, 40 + 40 * 10);
  // Timeloop's fan-out allows K 8 x C 2 = 16 PEs, but the array has 4 columns for K.
  const wide = parseMappingString('L2[WIO] C4 P10 - L1[WIO] C2X K8X - L0[W] N1', 3);
  assert.throws(() => checkSystolicAxes(arch, wide), /above the array's 4 columns/);
});

test('without a systolic array the cost is unchanged', () => {
  const arch = architectureFromHardware(normalizeHardware({ glbKiB: 512, peRows: 4, peCols: 4 }));
  const plain = { ...arch, compute: { ...arch.compute, systolic: undefined } };
  const layer = { N: 1, C: 8, K: 8, P: 10, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 };
  const m = parseMappingString('L2[WIO] C2 K2 P10 - L1[WIO] C4X K4X - L0[W] N1', 3);
  const cost = checkMapping(plain, layer, m);
  assert.equal(withSystolicFolds(plain, m, cost), cost);
  assert.equal(cost.computeCycles, 40);
});
