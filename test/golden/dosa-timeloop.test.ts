/**
 * Golden test against Timeloop: DOSA's Timeloop+Accelergy evaluations of its Gemmini-like
 * architecture (github.com/ucb-bar/dosa @ a7a3239, DOSA's Timeloop fork charleshong3/timeloop-1
 * @ 140e9987), copied into test/golden/data/dosa/ (see SOURCE.md there). For every row we read
 * the Timeloop architecture YAML DOSA generated, parse the compact mapping string Timeloop printed,
 * and compare our cycles and energy with Timeloop's; area is compared per hardware config with
 * Accelergy's per-component areas (ART) applied to the architecture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadArchitectureFile } from '../../models/arch/architecture-file.ts';
import { parseMappingString } from '../../models/arch/mapping-string.ts';
import { checkMapping } from '../../models/arch/validate-mapping.ts';
import { applyComponentTable } from '../../models/arch/energy-area-tables.ts';
import { evaluateMapping } from '../../models/arch/mapping-model.ts';
import type { Architecture } from '../../models/arch/types.ts';

const dataDir = fileURLToPath(new URL('./data/dosa/', import.meta.url));

function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

const rows = readCsv(`${dataDir}dosa-timeloop-sample.csv`);
const archs = new Map<string, Architecture>();
function archOf(r: Record<string, string>): Architecture {
  const key = `gemmini_pe${r.pe_dim}_sp${r.scratchpad_bytes}_acc${r.accumulator_bytes}.yaml`;
  let a = archs.get(key);
  if (!a) archs.set(key, (a = loadArchitectureFile(`${dataDir}arch/${key}`)));
  return a;
}
const layerOf = (r: Record<string, string>) => ({
  N: +r.N_batch!, C: +r.C_in_ch!, K: +r.K_out_ch!, P: +r.P_out_w!, Q: +r.Q_out_h!, R: +r.R_filt_w!, S: +r.S_filt_h!, strideW: +r.stride_w!, strideH: +r.stride_h!,
});
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('the DOSA sample has 3,000 rows over 95 hardware configs', () => {
  assert.equal(rows.length, 3000);
  assert.equal(new Set(rows.map((r) => `${r.pe_dim}/${r.scratchpad_bytes}/${r.accumulator_bytes}`)).size, 95);
});

test('cycles and energy within 1% of Timeloop on >= 95% of rows (median within 0.1%), per layer type too', () => {
  const byType = new Map<string, { c: number[]; e: number[] }>();
  for (const r of rows) {
    const arch = archOf(r);
    const layer = layerOf(r);
    const mapping = parseMappingString(r.mapping!, arch.levels.length);
    // Every Timeloop row is a valid mapping: it must pass our checks (factors, fan-out, capacity).
    const cost = checkMapping(arch, layer, mapping);
    const t = byType.get(r.layer_type!) ?? { c: [], e: [] };
    t.c.push(Math.abs(cost.cycles / +r.cycles! - 1));
    t.e.push(Math.abs(cost.energyPJ / +r.energy_pJ! - 1));
    byType.set(r.layer_type!, t);
  }
  const all = { c: [...byType.values()].flatMap((t) => t.c), e: [...byType.values()].flatMap((t) => t.e) };
  const within = (xs: number[]): number => xs.filter((x) => x <= 0.01).length / xs.length;
  assert.ok(within(all.c) >= 0.95, `cycles within 1% on ${(100 * within(all.c)).toFixed(1)}% of rows`);
  assert.ok(within(all.e) >= 0.95, `energy within 1% on ${(100 * within(all.e)).toFixed(1)}% of rows`);
  assert.ok(median(all.c) <= 0.001, `median cycle error ${median(all.c)}`);
  assert.ok(median(all.e) <= 0.001, `median energy error ${median(all.e)}`);
  for (const [type, t] of byType) {
    assert.ok(within(t.c) >= 0.95 && within(t.e) >= 0.95, `${type}: cycles ${within(t.c)}, energy ${within(t.e)} within 1%`);
  }
});

test('area within 1% of Timeloop on every hardware config, with Accelergy area per component', () => {
  const areaRows = readCsv(`${dataDir}accelergy-area-table.csv`);
  assert.equal(areaRows.length, 95);
  const timeloopArea = new Map(rows.map((r) => [`${r.pe_dim}/${r.scratchpad_bytes}/${r.accumulator_bytes}`, +r.area_mm2!]));
  for (const a of areaRows) {
    const arch = applyComponentTable(archOf(a), {
      Registers: { areaUM2: +a.area_um2_Registers_each! },
      MACC: { areaUM2: +a.area_um2_MACC_each! },
      Accumulator: { areaUM2: +a.area_um2_Accumulator_each! },
      Scratchpad: { areaUM2: +a.area_um2_Scratchpad! },
      DRAM: { areaUM2: +a.area_um2_DRAM! },
    });
    const layer = { N: 1, C: 1, K: 1, P: 1, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 };
    const none = { temporal: [], spatial: [] };
    const cost = evaluateMapping(arch, layer, { levels: [{ ...none, keeps: ['W', 'I', 'O'] }, { ...none, keeps: ['W', 'I'] }, { ...none, keeps: ['O'] }, { ...none, keeps: ['W'] }] });
    const want = timeloopArea.get(`${a.pe_dim}/${a.scratchpad_bytes}/${a.accumulator_bytes}`)!;
    assert.ok(Math.abs(cost.areaMM2 / want - 1) <= 0.01, `pe${a.pe_dim} sp${a.scratchpad_bytes} acc${a.accumulator_bytes}: ${cost.areaMM2} vs ${want}`);
  }
});

test("worked example of DOSA's reference (source row 41522): 65 cycles, 0.058534 uJ", () => {
  const arch = loadArchitectureFile(`${dataDir}arch/gemmini_pe128_sp1024_acc8192.yaml`);
  const layer = { N: 1, C: 256, K: 1, P: 1, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 };
  const cost = checkMapping(arch, layer, parseMappingString('L3[WIO] C4 - L2[WI] N1 - L1[O] N1 C64X - L0[W] N1', 4));
  assert.equal(cost.cycles, 65);
  assert.ok(Math.abs(cost.energyPJ - 58533.65) < 0.05, String(cost.energyPJ));
});
