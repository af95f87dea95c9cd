import { techModel } from '../tech/nodes.ts';
import { timeloopDramEnergyPJ, timeloopIntmacEnergyPJ, timeloopSramEnergyPJ } from './timeloop-formulas.ts';
import type { ComputeLevel, StorageLevel } from './types.ts';

/**
 * Built-in prices for levels that name no table entry:
 * - `builtin-45nm` (the default): the same 45 nm table as the flat systolic model
 *   (models/tech: Horowitz ISSCC 2014, LPDDR4 DRAM at 64 pJ/byte, SRAM area 0.69 um^2/bit,
 *   register files 3x that), at `techNode`.
 * - `timeloop`: Timeloop's built-in formulas (timeloop-formulas.ts); area 0, as Timeloop without
 *   Accelergy reports it.
 */
export type BuiltinPricing = 'builtin-45nm' | 'timeloop';

export function priceStorage(lv: Omit<StorageLevel, 'energyPJ' | 'areaUM2'>, pricing: BuiltinPricing, techNode = '45nm'): Pick<StorageLevel, 'energyPJ' | 'areaUM2'> {
  const widthBits = lv.wordBits * lv.blockWords;
  const isDram = /dram/i.test(lv.className);
  if (pricing === 'timeloop') {
    const e = isDram ? timeloopDramEnergyPJ(widthBits) : timeloopSramEnergyPJ(Math.ceil((lv.capacityWords ?? 0) / lv.blockWords), widthBits);
    return { energyPJ: { read: e, fill: e, update: e, leakPerCycle: 0 }, areaUM2: 0 };
  }
  const t = techModel(techNode);
  if (isDram) {
    const e = (t.dramPJPerByte * widthBits) / 8;
    return { energyPJ: { read: e, fill: e, update: e, leakPerCycle: 0 }, areaUM2: 0 };
  }
  const bits = (lv.capacityWords ?? 0) * lv.wordBits;
  const e = t.sramAccessPJ(bits / 8, widthBits);
  const perBit = /regfile|reg/i.test(lv.className) ? t.rfUM2PerBit : t.sramUM2PerBit;
  return { energyPJ: { read: e, fill: e, update: e, leakPerCycle: 0 }, areaUM2: bits * perBit };
}

export function priceCompute(macBits: number, pricing: BuiltinPricing, techNode = '45nm'): Pick<ComputeLevel, 'macEnergyPJ' | 'areaUM2'> {
  if (pricing === 'timeloop') return { macEnergyPJ: timeloopIntmacEnergyPJ(macBits), areaUM2: 0 };
  const t = techModel(techNode);
  // A MAC: a macBits x macBits multiplier and an accumulator adder of 4x the operand width.
  return {
    macEnergyPJ: t.multiplierPJ(macBits, macBits) + t.adderPJ(4 * macBits),
    areaUM2: t.multiplierUM2(macBits, macBits) + t.adderUM2(4 * macBits),
  };
}
