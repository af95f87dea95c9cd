/**
 * Timeloop's built-in energy formulas (the `pat` library, timeloop `pat-public/src/pat/pat.cpp`),
 * used by Timeloop for every storage level's random read/fill/update unless the architecture sets
 * `vector-access-energy` (an Accelergy ERT does not override them: buffer.cpp only replaces
 * entries still at 0). Sizes as buffer.cpp passes them: width = word bits x block, height =
 * ceil(entries / block). Results are pJ per vector access.
 */

/** SRAM (and regfile): linear in capacity between Eyeriss's 0.5 KiB = 1 and 100 KiB = 6 units per 16 bits. */
export function timeloopSramEnergyPJ(height: number, widthBits: number): number {
  const m = (6 - 1) / (100 - 0.5);
  const kib = (widthBits * height) / (8 * 1024);
  return ((m * (kib - 0.5) + 1) * widthBits) / 16;
}

/** DRAM: 200 pJ per 16 bits. */
export function timeloopDramEnergyPJ(widthBits: number): number {
  return (200 * widthBits) / 16;
}

/**
 * MAC energy of Timeloop's `intmac` class as DOSA's Timeloop+Accelergy runs priced it: Accelergy's
 * Aladdin plug-in estimate for an 8-bit integer MAC at 40 nm, 0.5608 pJ (the ERT's `mac_random`,
 * which overrides Timeloop's own multiplier formula). Other widths are scaled with the product of
 * the operand widths (a multiplier-dominated MAC); that scaling is our assumption, not Aladdin's.
 */
export function timeloopIntmacEnergyPJ(bits: number): number {
  return 0.5608 * (bits / 8) * (bits / 8);
}
