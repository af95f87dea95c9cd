/**
 * The mapper against Timeloop's mapper: for (hardware, layer) groups of DOSA's Timeloop sample
 * (github.com/ucb-bar/dosa @ a7a3239, copied in test/golden/data/dosa), the best mapping our
 * mapper finds must be no worse, in cycles and in energy, than the best of the random-mapper
 * mappings Timeloop evaluated for that group. A deterministic 1-in-80 subset of the 2,470 groups
 * runs here (the bench section `arch-model` runs them all and reports the median ratio).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { findBestMapping, MapperCache } from '../../../models/arch/mapper.ts';
import { gemminiLike } from '../../../models/arch/presets.ts';
import { checkMapping } from '../../../models/arch/validate-mapping.ts';
import { formatMappingString } from '../../../models/arch/mapping-string.ts';
import { loadArchitectureFile } from '../../../models/arch/architecture-file.ts';
import { dosaGroups } from '../../golden/dosa-groups.ts';
import { keepCandidates } from '../../../models/arch/mapper-bypass.ts';

const groups = dosaGroups(fileURLToPath(new URL('../../golden/data/dosa/dosa-timeloop-sample.csv', import.meta.url)));

test('the gemmini-like preset is the architecture DOSA generated (same levels, sizes and prices)', () => {
  const dir = fileURLToPath(new URL('../../golden/data/dosa/arch/', import.meta.url));
  for (const [pe, sp, acc] of [[16, 131072, 131072], [2, 1024, 8192], [128, 1048576, 262144]] as const) {
    const fromYaml = loadArchitectureFile(`${dir}gemmini_pe${pe}_sp${sp}_acc${acc}.yaml`);
    const preset = gemminiLike({ peDim: pe, scratchpadKiB: sp / 1024, accumulatorKiB: acc / 1024 });
    fromYaml.levels.forEach((l, i) => {
      const p = preset.levels[i]!;
      assert.deepEqual([p.name, p.instances, p.capacityWords, p.wordBits, p.blockWords, p.bandwidthWordsPerCycle, p.energyPJ], [l.name, l.instances, l.capacityWords, l.wordBits, l.blockWords, l.bandwidthWordsPerCycle, l.energyPJ]);
    });
    assert.equal(preset.compute.instances, fromYaml.compute.instances);
    assert.equal(preset.compute.macEnergyPJ, fromYaml.compute.macEnergyPJ);
  }
});

test("mapper's best cycles and energy are no worse than Timeloop's best sampled mapping (1 in 80 groups)", () => {
  const subset = groups.filter((_, i) => i % 80 === 0);
  assert.ok(subset.length >= 30);
  for (const g of subset) {
    const arch = gemminiLike({ peDim: g.peDim, scratchpadKiB: g.scratchpadBytes / 1024, accumulatorKiB: g.accumulatorBytes / 1024 });
    const fast = findBestMapping(arch, g.layer, 'latency');
    const frugal = findBestMapping(arch, g.layer, 'energy');
    // The mapper's mappings are valid (factors, fan-out, allowed dims, capacities) and costed as reported.
    assert.equal(checkMapping(arch, g.layer, fast.mapping).cycles, fast.cycles);
    assert.equal(checkMapping(arch, g.layer, frugal.mapping).energyPJ, frugal.energyPJ);
    assert.ok(fast.cycles <= g.bestCycles, `${g.key}: ${fast.cycles} cycles > Timeloop's ${g.bestCycles} (${formatMappingString(fast.mapping)})`);
    // Timeloop prints energy to 6 significant digits: compare at 1e-5.
    assert.ok(frugal.energyPJ <= g.bestEnergyPJ * (1 + 1e-5), `${g.key}: ${frugal.energyPJ} pJ > Timeloop's ${g.bestEnergyPJ} (${formatMappingString(frugal.mapping)})`);
  }
});

test('the mapper is deterministic and its cache maps a repeated shape once', () => {
  const arch = gemminiLike({ peDim: 16, scratchpadKiB: 256, accumulatorKiB: 64 });
  const layer = { N: 1, C: 64, K: 128, P: 28, Q: 28, R: 3, S: 3, strideW: 1, strideH: 1 };
  assert.equal(formatMappingString(findBestMapping(arch, layer, 'edp').mapping), formatMappingString(findBestMapping(arch, layer, 'edp').mapping));
  const cache = new MapperCache();
  const a = cache.get(arch, layer, 'edp');
  const b = cache.get(arch, { ...layer }, 'edp');
  assert.equal(a, b);
  assert.deepEqual([cache.hits, cache.misses], [1, 1]);
  cache.get(arch, layer, 'latency');
  assert.equal(cache.misses, 2);
});

test("bypass: on DOSA's Timeloop files (every level may keep every operand, registers hold one word) the mapper finds valid mappings", () => {
  const dir = fileURLToPath(new URL('../../golden/data/dosa/arch/', import.meta.url));
  const arch = loadArchitectureFile(`${dir}gemmini_pe16_sp131072_acc131072.yaml`);
  // Every level may keep everything, so bypass is the mapper's: 7 operand subsets for the scratchpad
  // and the accumulator, the 3 single operands for the one-word registers; "keep what fits" first.
  const combos = keepCandidates(arch).map((k) => Array.from(k));
  assert.equal(combos.length, 7 * 7 * 3);
  assert.deepEqual(combos[0], [7, 7, 7, 4]);
  assert.ok(combos.every((c) => c[0] === 7 && [1, 2, 4].includes(c[3]!)));
  // The preset restricts bypass (scratchpad W I, accumulator O, registers W): one candidate.
  assert.deepEqual(keepCandidates(gemminiLike({ peDim: 16, scratchpadKiB: 128, accumulatorKiB: 64 })).map((k) => Array.from(k)), [[7, 3, 4, 1]]);
  for (const g of groups.filter((_, i) => i % 400 === 0)) {
    const file = loadArchitectureFile(`${dir}gemmini_pe${g.peDim}_sp${g.scratchpadBytes}_acc${g.accumulatorBytes}.yaml`);
    for (const objective of ['latency', 'energy'] as const) {
      const r = findBestMapping(file, g.layer, objective);
      const cost = checkMapping(file, g.layer, r.mapping);
      assert.deepEqual([cost.cycles, cost.energyPJ], [r.cycles, r.energyPJ]);
      assert.equal(r.mapping.levels.at(-1)!.keeps.length, 1, `${g.key}: the registers keep one operand`);
    }
  }
});
