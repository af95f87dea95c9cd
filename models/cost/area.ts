import { onChipCapacityBytes } from '../hardware.ts';
import { techModel } from '../tech/nodes.ts';
import type { Hardware } from '../types.ts';

/**
 * Silicon area of the accelerator core (docs/COST_MODEL.md, "Area"):
 *   PE          = multiplier(weightBits x activationBits) + accumulator adder(accumBits)
 *                 + register file (rfBytes x 8 bits at the RF bit area)
 *   vector unit = peCols lanes x (adder(accumBits) + multiplier(activationBits^2))
 *   SRAM        = on-chip bytes x 8 x SRAM bit area (array efficiency included)
 * Not included: network-on-chip wiring, control, DMA engines, DRAM PHY, pads, clock tree.
 */
export interface AreaBreakdownMM2 {
  pes: number;
  vector: number;
  sram: number;
  total: number;
}

export function areaBreakdownMM2(hw: Hardware): AreaBreakdownMM2 {
  const t = techModel(hw.techNode);
  const peUM2 = t.multiplierUM2(hw.weightBits, hw.activationBits) + t.adderUM2(hw.accumBits) + hw.rfBytes * 8 * t.rfUM2PerBit;
  const pes = (hw.peRows * hw.peCols * peUM2) / 1e6;
  const vector = (hw.peCols * (t.adderUM2(hw.accumBits) + t.multiplierUM2(hw.activationBits, hw.activationBits))) / 1e6;
  const sram = (onChipCapacityBytes(hw) * 8 * t.sramUM2PerBit) / 1e6;
  return { pes, vector, sram, total: pes + vector + sram };
}

export function areaMM2(hw: Hardware): number {
  return areaBreakdownMM2(hw).total;
}
