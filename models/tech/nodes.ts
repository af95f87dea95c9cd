import {
  adderAreaUM2_45,
  adderEnergyPJ45,
  DRAM_PJ_PER_BYTE,
  multiplierAreaUM2_45,
  multiplierEnergyPJ45,
  RF_AREA_UM2_PER_BIT_45,
  SRAM_AREA_UM2_PER_BIT_45,
  sramEnergyPer64bPJ45,
} from './horowitz-45nm.ts';

/**
 * Technology nodes. 45 nm carries Horowitz's measured figures; the others are scaled from it
 * to first order (a documented modelling choice, not a foundry figure):
 *   dynamic energy E = C V^2 with capacitance ~ feature size: energy x (L/45) * (V/0.9)^2;
 *   area ~ L^2: area x (L/45)^2.
 * Nominal supply voltages: 65 nm 1.0 V, 45 nm 0.9 V, 28 nm 0.9 V, 16 nm 0.8 V, 7 nm 0.7 V.
 * Marketing node names below 20 nm do not track physical dimensions, so this overstates the
 * gains of 16 nm and 7 nm; use it to compare designs within one node, not across nodes.
 */
interface NodeSpec {
  featureNm: number;
  vdd: number;
}

const NODES: Record<string, NodeSpec> = {
  '65nm': { featureNm: 65, vdd: 1.0 },
  '45nm': { featureNm: 45, vdd: 0.9 },
  '28nm': { featureNm: 28, vdd: 0.9 },
  '16nm': { featureNm: 16, vdd: 0.8 },
  '7nm': { featureNm: 7, vdd: 0.7 },
};

export const TECH_NODES = Object.keys(NODES) as readonly string[];

export function isKnownTechNode(node: string): boolean {
  return Object.prototype.hasOwnProperty.call(NODES, node);
}

/** Per-node cost functions, all in pJ and um^2. */
export interface TechModel {
  node: string;
  energyScale: number;
  areaScale: number;
  multiplierPJ(b1: number, b2: number): number;
  adderPJ(bits: number): number;
  multiplierUM2(b1: number, b2: number): number;
  adderUM2(bits: number): number;
  /** One access of `bits` bits to an SRAM of `capacityBytes` (energy ~ width, ~ capacity^0.5). */
  sramAccessPJ(capacityBytes: number, bits: number): number;
  sramUM2PerBit: number;
  rfUM2PerBit: number;
  dramPJPerByte: number;
}

const cache = new Map<string, TechModel>();

export function techModel(node: string): TechModel {
  const hit = cache.get(node);
  if (hit) return hit;
  const spec = NODES[node];
  if (!spec) throw new Error(`unknown technology node '${node}' (known: ${TECH_NODES.join(', ')})`);
  const eS = (spec.featureNm / 45) * (spec.vdd / 0.9) ** 2;
  const aS = (spec.featureNm / 45) ** 2;
  const m: TechModel = {
    node,
    energyScale: eS,
    areaScale: aS,
    multiplierPJ: (b1, b2) => eS * multiplierEnergyPJ45(b1, b2),
    adderPJ: (b) => eS * adderEnergyPJ45(b),
    multiplierUM2: (b1, b2) => aS * multiplierAreaUM2_45(b1, b2),
    adderUM2: (b) => aS * adderAreaUM2_45(b),
    sramAccessPJ: (cap, bits) => eS * sramEnergyPer64bPJ45(cap) * (bits / 64),
    sramUM2PerBit: aS * SRAM_AREA_UM2_PER_BIT_45,
    rfUM2PerBit: aS * RF_AREA_UM2_PER_BIT_45,
    dramPJPerByte: DRAM_PJ_PER_BYTE,
  };
  cache.set(node, m);
  return m;
}
