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
/** The event counts of one layer that energy depends on. */
export interface EnergyEvents {
  macs: number;
  /** Operand widths of the multiplier (the second operand is an activation in attention). */
  mulBitsA: number;
  mulBitsB: number;
  sramReads: OperandCounts;
  sramWrites: OperandCounts;
  /** Bits per SRAM word of the ifmap and filter operands (the ofmap holds accumBits words). */
  ifmapBits: number;
  filterBits: number;
  /** Vector-unit work, at mulBitsA (activation) width. */
  vector: { adds: number; muls: number };
}

/**
 * Per-bit access energies of one hardware design, computed once per design (SRAM energy per
 * access is linear in the word width, so per-bit figures times the width give the access).
 * Each operand's SRAM is sized by its own buffer, or by the shared buffer when unified.
 */
export interface AccessEnergies {
  rfPJPerBit: number;
  ifmapSramPJPerBit: number;
  filterSramPJPerBit: number;
  ofmapSramPJPerBit: number;
}

export function accessEnergies(t: TechModel, rfBytes: number, ifmapSramBytes: number, filterSramBytes: number, ofmapSramBytes: number): AccessEnergies {
  return {
    rfPJPerBit: t.sramAccessPJ(rfBytes, 1),
    ifmapSramPJPerBit: t.sramAccessPJ(ifmapSramBytes, 1),
    filterSramPJPerBit: t.sramAccessPJ(filterSramBytes, 1),
    ofmapSramPJPerBit: t.sramAccessPJ(ofmapSramBytes, 1),
  };
}

export function layerEnergy(t: TechModel, a: AccessEnergies, accumBits: number, e: EnergyEvents, dramBytes: number): EnergyBreakdownPJ {
  const mac = e.macs === 0 ? 0 : e.macs * (t.multiplierPJ(e.mulBitsA, e.mulBitsB) + t.adderPJ(accumBits));
  const rf = e.macs === 0 ? 0 : e.macs * a.rfPJPerBit * (e.mulBitsA + e.mulBitsB + 2 * accumBits);
  const sram =
    (e.sramReads.ifmap + e.sramWrites.ifmap) * a.ifmapSramPJPerBit * e.ifmapBits +
    (e.sramReads.filter + e.sramWrites.filter) * a.filterSramPJPerBit * e.filterBits +
    (e.sramReads.ofmap + e.sramWrites.ofmap) * a.ofmapSramPJPerBit * accumBits;
  const dram = dramBytes * t.dramPJPerByte;
  const other = e.vector.adds * t.adderPJ(e.mulBitsA) + e.vector.muls * t.multiplierPJ(e.mulBitsA, e.mulBitsA);
  return { mac, rf, sram, dram, other };
}

export function sumEnergy(b: EnergyBreakdownPJ): number {
  return b.mac + b.rf + b.sram + b.dram + b.other;
}
