import type { TechModel } from '../tech/nodes.ts';
import type { EnergyBreakdownPJ, OperandCounts } from '../types.ts';

/**
 * Energy of one layer from its event counts (docs/COST_MODEL.md, "Energy"):
 *   mac   = MACs x (multiplier(weightBits x activationBits) + adder(accumBits))
 *   rf    = MACs x (RF access of the activation + of the weight + read and write of the
 *           accumulator): in a systolic array every operand passes a register in every PE
 *   sram  = per operand, (reads + writes) x access energy of that operand's SRAM at its width
 *           (ifmap: activationBits, filter: weightBits, ofmap: accumBits, since it holds partial sums);
 *           writes cost as much as reads
 *   dram  = bytes x pJ/byte
 *   other = vector-unit adds and multiplies at activation width
 * No leakage/static energy is charged.
 */
export interface EnergyInputs {
  macs: number;
  /** Operand widths of the multiplier (weight operand may be an activation in attention). */
  mulBitsA: number;
  mulBitsB: number;
  accumBits: number;
  rfBytes: number;
  sramReads: OperandCounts;
  sramWrites: OperandCounts;
  /** Bits per SRAM word, per operand. */
  ifmapBits: number;
  filterBits: number;
  /** Capacity in bytes of the SRAM each operand lives in (the shared buffer when unified). */
  ifmapSramBytes: number;
  filterSramBytes: number;
  ofmapSramBytes: number;
  dramBytes: number;
  vectorAdds: number;
  vectorMuls: number;
  vectorBits: number;
}

export function layerEnergy(t: TechModel, e: EnergyInputs): EnergyBreakdownPJ {
  const mac = e.macs === 0 ? 0 : e.macs * (t.multiplierPJ(e.mulBitsA, e.mulBitsB) + t.adderPJ(e.accumBits));
  const rf =
    e.macs === 0
      ? 0
      : e.macs * (t.sramAccessPJ(e.rfBytes, e.mulBitsA) + t.sramAccessPJ(e.rfBytes, e.mulBitsB) + 2 * t.sramAccessPJ(e.rfBytes, e.accumBits));
  const sram =
    (e.sramReads.ifmap + e.sramWrites.ifmap) * t.sramAccessPJ(e.ifmapSramBytes, e.ifmapBits) +
    (e.sramReads.filter + e.sramWrites.filter) * t.sramAccessPJ(e.filterSramBytes, e.filterBits) +
    (e.sramReads.ofmap + e.sramWrites.ofmap) * t.sramAccessPJ(e.ofmapSramBytes, e.accumBits);
  const dram = e.dramBytes * t.dramPJPerByte;
  const other = e.vectorAdds * t.adderPJ(e.vectorBits) + e.vectorMuls * t.multiplierPJ(e.vectorBits, e.vectorBits);
  return { mac, rf, sram, dram, other };
}

export function sumEnergy(b: EnergyBreakdownPJ): number {
  return b.mac + b.rf + b.sram + b.dram + b.other;
}
