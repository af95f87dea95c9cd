/**
 * Compares the architecture model with Timeloop on DOSA's sample (test/golden/data/dosa):
 * per layer type, the median and 95th-percentile relative error of cycles and energy, and the
 * share of rows within 1%. Run: node --import tsx scripts/compare-timeloop.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadArchitectureFile } from '../models/arch/architecture-file.ts';
import { evaluateMapping } from '../models/arch/mapping-model.ts';
import { parseMappingString } from '../models/arch/mapping-string.ts';
import type { Architecture } from '../models/arch/types.ts';

const data = fileURLToPath(new URL('../test/golden/data/dosa/', import.meta.url));
const [head, ...lines] = readFileSync(`${data}dosa-timeloop-sample.csv`, 'utf8').trim().split('\n');
const cols = head!.split(',');
const archs = new Map<string, Architecture>();
const byType = new Map<string, { c: number[]; e: number[] }>();
const outliers: string[] = [];
for (const line of lines) {
  const v = Object.fromEntries(line.split(',').map((x, i) => [cols[i]!, x]));
  const key = `gemmini_pe${v.pe_dim}_sp${v.scratchpad_bytes}_acc${v.accumulator_bytes}.yaml`;
  let arch = archs.get(key);
  if (!arch) archs.set(key, (arch = loadArchitectureFile(`${data}arch/${key}`)));
  const layer = { N: +v.N_batch!, C: +v.C_in_ch!, K: +v.K_out_ch!, P: +v.P_out_w!, Q: +v.Q_out_h!, R: +v.R_filt_w!, S: +v.S_filt_h!, strideW: +v.stride_w!, strideH: +v.stride_h! };
  const cost = evaluateMapping(arch, layer, parseMappingString(v.mapping!, arch.levels.length));
  const ec = Math.abs(cost.cycles / +v.cycles! - 1);
  const ee = Math.abs(cost.energyPJ / +v.energy_pJ! - 1);
  for (const t of [v.layer_type!, 'all']) {
    const s = byType.get(t) ?? { c: [], e: [] };
    s.c.push(ec);
    s.e.push(ee);
    byType.set(t, s);
  }
  if (ec > 0.01 || ee > 0.01) outliers.push(`row ${v.row_id} (${v.layer_type}): cycles ${(100 * ec).toFixed(2)}%, energy ${(100 * ee).toFixed(2)}%  ${v.mapping}`);
}
const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const pct = (x: number): string => `${(100 * x).toPrecision(2)}%`;
process.stdout.write('| layer type | rows | cycles median | cycles p95 | cycles within 1% | energy median | energy p95 | energy within 1% |\n|---|---|---|---|---|---|---|---|\n');
for (const [t, s] of [...byType].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)))) {
  const within = (xs: number[]): string => `${((100 * xs.filter((x) => x <= 0.01).length) / xs.length).toFixed(1)}%`;
  process.stdout.write(`| ${t} | ${s.c.length} | ${pct(q(s.c, 0.5))} | ${pct(q(s.c, 0.95))} | ${within(s.c)} | ${pct(q(s.e, 0.5))} | ${pct(q(s.e, 0.95))} | ${within(s.e)} |\n`);
}
process.stdout.write(`\nRows outside 1%:\n${outliers.join('\n')}\n`);
