/**
 * Energy and area of arithmetic and memory at 45 nm, from M. Horowitz, "Computing's energy
 * problem (and what we can do about it)", ISSCC 2014 (the table in docs/COST_MODEL.md).
 * Intermediate bitwidths use the two integer points of each operator fitted exactly:
 *   multiplier: e(b1, b2) = a * b1 * b2 + c   (grows with the product of the operand widths)
 *   adder:      e(b) = a * b + c              (grows linearly)
 * through (8-bit, 32-bit) = mult 0.2 / 3.1 pJ, 282 / 3495 um^2; add 0.03 / 0.1 pJ, 36 / 137 um^2.
 */
const MUL_E8 = 0.2;
const MUL_E32 = 3.1;
const MUL_A8 = 282;
const MUL_A32 = 3495;
const ADD_E8 = 0.03;
const ADD_E32 = 0.1;
const ADD_A8 = 36;
const ADD_A32 = 137;

function quadFit(y8: number, y32: number, b1: number, b2: number): number {
  const a = (y32 - y8) / (32 * 32 - 8 * 8);
  return a * b1 * b2 + (y8 - a * 64);
}

function linFit(y8: number, y32: number, b: number): number {
  const a = (y32 - y8) / (32 - 8);
  return a * b + (y8 - a * 8);
}

/** Integer multiplier of a b1-bit by a b2-bit operand, pJ per operation at 45 nm. */
export function multiplierEnergyPJ45(b1: number, b2: number): number {
  return quadFit(MUL_E8, MUL_E32, b1, b2);
}

export function multiplierAreaUM2_45(b1: number, b2: number): number {
  return quadFit(MUL_A8, MUL_A32, b1, b2);
}

/** Integer adder of b bits, pJ per operation at 45 nm. */
export function adderEnergyPJ45(b: number): number {
  return linFit(ADD_E8, ADD_E32, b);
}

export function adderAreaUM2_45(b: number): number {
  return linFit(ADD_A8, ADD_A32, b);
}

/**
 * SRAM read energy per 64-bit access at 45 nm: 10 pJ (8 KB), 20 pJ (32 KB), 100 pJ (1 MB).
 * Between the points we interpolate linearly in log(capacity) -> log(energy) (a power law per
 * segment, exponent 0.50 then 0.46); outside them we extend the nearest segment's power law.
 * Below 8 KB this is the same sqrt-like law, which puts a 512 B register file at ~0.7x a 16-bit
 * MAC, close to Eyeriss's "register file = 1x MAC" ratio (Chen et al., ISCA 2016).
 */
const SRAM_POINTS: ReadonlyArray<readonly [number, number]> = [
  [8 * 1024, 10],
  [32 * 1024, 20],
  [1024 * 1024, 100],
];

export function sramEnergyPer64bPJ45(capacityBytes: number): number {
  const cap = Math.max(capacityBytes, 1);
  const seg = cap <= SRAM_POINTS[1]![0] ? 0 : 1;
  const [c0, e0] = SRAM_POINTS[seg]!;
  const [c1, e1] = SRAM_POINTS[seg + 1]!;
  const slope = Math.log(e1 / e0) / Math.log(c1 / c0);
  return e0 * Math.pow(cap / c0, slope);
}

/**
 * SRAM area per bit at 45 nm: the 0.346 um^2 6T cell of Intel's 45 nm process (Mistry et al.,
 * IEDM 2007) divided by an array efficiency of 0.5 for decoders, sense amplifiers and wiring
 * (a modelling choice; CACTI-class tools give 0.4-0.7 for arrays of tens of KiB).
 */
export const SRAM_AREA_UM2_PER_BIT_45 = 0.346 / 0.5;

/**
 * Register-file bits are flip-flop/latch based and multi-ported: we charge 3x an SRAM bit
 * (a modelling choice, documented in docs/COST_MODEL.md).
 */
export const RF_AREA_UM2_PER_BIT_45 = 3 * SRAM_AREA_UM2_PER_BIT_45;

/**
 * DRAM energy per byte. Timeloop's reference table charges LPDDR4 at 512 pJ per 64-bit access
 * (64 pJ/byte); Horowitz gives 1300-2600 pJ per 64-bit access for DDR3. We use the LPDDR4 figure:
 * DRAM is a separate device, so it does not scale with the accelerator's logic node.
 */
export const DRAM_PJ_PER_BYTE = 512 / 8;
