import { readFileSync } from 'node:fs';
import type { LayerShape } from '../../models/arch/types.ts';

/** A (hardware, layer) group of DOSA's Timeloop sample with the best cycles and energy Timeloop's random mapper found. */
export interface DosaGroup {
  key: string;
  layerType: string;
  peDim: number;
  scratchpadBytes: number;
  accumulatorBytes: number;
  layer: LayerShape;
  bestCycles: number;
  bestEnergyPJ: number;
  rows: number;
}

/** Groups of dosa-timeloop-sample.csv in first-appearance order. */
export function dosaGroups(csvFile: string): DosaGroup[] {
  const [head, ...lines] = readFileSync(csvFile, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const groups = new Map<string, DosaGroup>();
  for (const line of lines) {
    const v = Object.fromEntries(line.split(',').map((x, i) => [cols[i]!, x]));
    const layer: LayerShape = { N: +v.N_batch!, C: +v.C_in_ch!, K: +v.K_out_ch!, P: +v.P_out_w!, Q: +v.Q_out_h!, R: +v.R_filt_w!, S: +v.S_filt_h!, strideW: +v.stride_w!, strideH: +v.stride_h! };
    const key = `pe${v.pe_dim} sp${v.scratchpad_bytes} acc${v.accumulator_bytes} ${JSON.stringify(layer)}`;
    const g = groups.get(key) ?? { key, layerType: v.layer_type!, peDim: +v.pe_dim!, scratchpadBytes: +v.scratchpad_bytes!, accumulatorBytes: +v.accumulator_bytes!, layer, bestCycles: Infinity, bestEnergyPJ: Infinity, rows: 0 };
    g.bestCycles = Math.min(g.bestCycles, +v.cycles!);
    g.bestEnergyPJ = Math.min(g.bestEnergyPJ, +v.energy_pJ!);
    g.rows++;
    groups.set(key, g);
  }
  return [...groups.values()];
}
