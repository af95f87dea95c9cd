import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { applyComponentTable, readAccelergyArt, readAccelergyErt, readUserTable } from '../../../models/arch/energy-area-tables.ts';
import { readTimeloopArchitecture } from '../../../models/arch/timeloop-arch.ts';
import { evaluateMapping } from '../../../models/arch/mapping-model.ts';
import { parseMappingString, formatMappingString } from '../../../models/arch/mapping-string.ts';

// A small Timeloop v0.3 architecture written for this test (DOSA's Gemmini template at pe_dim 4).
const archYaml = `
architecture:
  version: 0.3
  subtree:
  - name: System
    local:
    - {name: DRAM, class: DRAM, attributes: {instances: 1, word-bits: 8, block_size: 64, shared_bandwidth: 8}}
    subtree:
    - name: Chip
      local:
      - {name: Scratchpad, class: SRAM, attributes: {entries: 4096, depth: 1024, width: 32, word-bits: 8, instances: 1, shared_bandwidth: 8}}
      subtree:
      - name: PECols[0..3]
        local:
        - {name: Accumulator, class: SRAM, attributes: {entries: 256, depth: 256, width: 32, word-bits: 32, instances: 4, shared_bandwidth: 2}}
        subtree:
        - name: PERows[0..3]
          local:
          - {name: Registers, class: SRAM, attributes: {entries: 1, depth: 1, width: 8, word-bits: 8, instances: 16}}
          - {name: MACC, class: intmac, attributes: {datawidth: 8}}
`;
const arch = readTimeloopArchitecture(parse(archYaml));
const layer = { N: 1, C: 16, K: 16, P: 4, Q: 4, R: 1, S: 1, strideW: 1, strideH: 1 };
const mapping = parseMappingString('L3[WIO] K4 C4 - L2[WI] N1 K4X - L1[O] Q4 P4 C4X - L0[W] N1', 4);

test('the MAC instances come from the PECols x PERows ranges; pat energies by level', () => {
  assert.equal(arch.compute.instances, 16);
  assert.deepEqual(arch.levels.map((l) => l.instances), [1, 1, 4, 16]);
  assert.equal(arch.levels[0]!.energyPJ.read, 6400); // 200 pJ per 16 bits x 512 bits
  assert.equal(arch.levels[1]!.blockWords, 4);
});

test('a hand-made Accelergy ERT changes energy by exactly the repriced actions', () => {
  const base = evaluateMapping(arch, layer, mapping);
  const ert = readAccelergyErt(parse(`
ERT:
  version: 0.3
  tables:
  - name: System.Chip.PECols[0..3].PERows[0..3].MACC[0..15]
    actions:
    - {name: mac_random, energy: 1.5}
    - {name: mac_gated, energy: 0.1}
  - name: System.Chip.Scratchpad
    actions:
    - {name: read, arguments: {address_delta: 0}, energy: 3.0}
    - {name: read, arguments: {address_delta: 1}, energy: 5.0}
    - {name: write, energy: 7.0}
`));
  assert.deepEqual(ert.MACC, { mac: 1.5 });
  assert.deepEqual(ert.Scratchpad, { read: 5, fill: 7, update: 7 });
  const priced = evaluateMapping(applyComponentTable(arch, ert), layer, mapping);
  assert.equal(priced.macEnergyPJ, base.macs * 1.5);
  const sp = priced.levels[1]!;
  const vectors = (x: number): number => Math.ceil(x / 4);
  const want = vectors(sp.accesses.W!.reads + 0) * 5 + vectors(sp.accesses.W!.fills) * 7 + vectors(sp.accesses.I!.reads) * 5 + vectors(sp.accesses.I!.fills) * 7;
  assert.ok(Math.abs(sp.energyPJ - want) < 1e-9, `${sp.energyPJ} vs ${want}`);
  // Unpriced levels keep their energy; the total moves by the repriced parts only.
  assert.equal(priced.levels[0]!.energyPJ, base.levels[0]!.energyPJ);
  assert.ok(Math.abs(priced.energyPJ - base.energyPJ - (priced.macEnergyPJ - base.macEnergyPJ) - (sp.energyPJ - base.levels[1]!.energyPJ)) < 1e-6);
});

test('a hand-made ART and a plain table set area per component and instance', () => {
  const art = readAccelergyArt(parse(`
ART:
  version: 0.3
  tables:
  - {name: System.Chip.Scratchpad, area: 1000}
  - {name: 'System.Chip.PECols[0..3].Accumulator[0..3]', area: 200}
  - {name: 'System.Chip.PECols[0..3].PERows[0..3].Registers[0..15]', area: 10}
  - {name: 'System.Chip.PECols[0..3].PERows[0..3].MACC[0..15]', area: 300}
`));
  const withArt = evaluateMapping(applyComponentTable(arch, art), layer, mapping);
  assert.ok(Math.abs(withArt.areaMM2 - (1000 + 4 * 200 + 16 * 10 + 16 * 300) / 1e6) < 1e-12);
  const user = readUserTable({ components: { Scratchpad: { areaUM2: 3000, read: 1 } } });
  const both = evaluateMapping(applyComponentTable(applyComponentTable(arch, art), user), layer, mapping);
  assert.ok(Math.abs(both.areaMM2 - withArt.areaMM2 - 2000 / 1e6) < 1e-12);
  assert.ok(both.levels[1]!.energyPJ < withArt.levels[1]!.energyPJ);
  assert.throws(() => readUserTable({ components: { Scratchpad: { reed: 1 } } }), /unknown field/);
});

test('mapping strings round-trip through the parser and printer', () => {
  for (const s of ['L3[WIO] P8 Q28 C2 K16 - L2[WI] N1 K8X - L1[O] C16 Q2 P7 C2X - L0[W] N1', 'L3[WIO] C4 - L2[WI] N1 - L1[O] N1 C64X - L0[W] N1']) {
    assert.equal(formatMappingString(parseMappingString(s, 4)), s);
  }
  assert.throws(() => parseMappingString('L3[WIO] C4 - L1[O] N1', 4), /has 2 levels/);
  assert.throws(() => parseMappingString('L3[WIO] Z4 - L2[WI] N1 - L1[O] N1 - L0[W] N1', 4), /loop "Z4"/);
});
