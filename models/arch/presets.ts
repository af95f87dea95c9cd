import { DseError } from '../../core/errors.ts';
import { priceCompute, priceStorage, type BuiltinPricing } from './builtin-pricing.ts';
import type { Architecture, StorageLevel } from './types.ts';

type LevelSpec = Omit<StorageLevel, 'energyPJ' | 'areaUM2'> & { areaUM2?: number };

function priced(levels: LevelSpec[], pricing: BuiltinPricing): StorageLevel[] {
  return levels.map((l) => {
    const p = priceStorage(l, pricing);
    return { ...l, energyPJ: p.energyPJ, areaUM2: l.areaUM2 ?? p.areaUM2 };
  });
}

export interface GemminiParams {
  peDim: number;
  scratchpadKiB: number;
  accumulatorKiB: number;
}

/**
 * DOSA's Gemmini-like accelerator (github.com/ucb-bar/dosa, dataset/hw/gemmini/arch/arch.yaml as
 * edited by gemmini_config.py gen_arch_yaml; mapspace constraints as they hold on all 72,700 rows
 * of DOSA's Timeloop dataset): a peDim x peDim array of 8-bit MACs, each with a one-weight
 * register; one 32-bit accumulator per PE column (C across its PEs, outputs only); a shared
 * 8-bit scratchpad (weights and inputs, K across the columns, no temporal loops); DRAM.
 * Energy: Timeloop's built-in formulas, as DOSA's Timeloop priced it. Area: Accelergy's
 * Aladdin values for the register (47.84 um^2) and the MAC (332.25 um^2) at 40 nm; SRAMs at
 * CACTI's density as a linear fit (see sramAreaUM2 below).
 */
export function gemminiLike(p: GemminiParams): Architecture {
  const pe = p.peDim;
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isSafeInteger(v) || v < 1) throw new DseError('invalid_architecture', `${k} must be an integer >= 1`, { path: `architecture.${k}` });
  }
  const spWords = p.scratchpadKiB * 1024;
  const accWordsPerColumn = (p.accumulatorKiB * 1024) / (4 * pe);
  if (!Number.isInteger(accWordsPerColumn)) {
    throw new DseError('invalid_architecture', `accumulatorKiB*1024 must split into ${pe} columns of 32-bit words`, { path: 'architecture.accumulatorKiB' });
  }
  const levels = priced(
    [
      { name: 'DRAM', className: 'DRAM', instances: 1, capacityWords: null, wordBits: 8, keeps: ['W', 'I', 'O'], blockWords: 64, bandwidthWordsPerCycle: 8, spatialDims: [] },
      { name: 'Scratchpad', className: 'SRAM', instances: 1, capacityWords: spWords, wordBits: 8, keeps: ['W', 'I'], blockWords: pe, bandwidthWordsPerCycle: 2 * pe, spatialDims: ['K'], temporalDims: [], areaUM2: sramAreaUM2(spWords * 8, 1) },
      { name: 'Accumulator', className: 'SRAM', instances: pe, capacityWords: accWordsPerColumn, wordBits: 32, keeps: ['O'], blockWords: 1, bandwidthWordsPerCycle: 2, spatialDims: ['C'], loopOrder: ['K', 'S', 'R', 'C', 'N', 'Q', 'P'], areaUM2: sramAreaUM2(accWordsPerColumn * 32, 2) },
      { name: 'Registers', className: 'SRAM', instances: pe * pe, capacityWords: 1, wordBits: 8, keeps: ['W'], blockWords: 1, bandwidthWordsPerCycle: null, spatialDims: [], temporalDims: ['P'], areaUM2: 47.84 },
    ],
    'timeloop',
  );
  return {
    name: `gemmini-like pe${pe} sp${p.scratchpadKiB}KiB acc${p.accumulatorKiB}KiB`,
    levels,
    compute: { name: 'MACC', instances: pe * pe, macBits: 8, ...priceCompute(8, 'timeloop'), areaUM2: 332.25 },
  };
}

/**
 * SRAM area, um^2 per instance, at 40 nm: a line per organisation (scratchpad: 1 port, 1 bank;
 * accumulator: 2 ports, 2 banks) through the CACTI areas Accelergy gave DOSA's 95 configs
 * (accelergy-area-table.csv, copied in test/golden/data/dosa): slope by least squares, offset
 * the median residual. A fit, not CACTI: total chip area lands within 5.4% (median) and 24%
 * (worst) of Timeloop's on those 95 configs (test/models/arch/presets.test.ts). Exact areas
 * come from an Accelergy ART (energy-area-tables.ts).
 */
export function sramAreaUM2(bits: number, ports: number): number {
  return ports === 1 ? 0.32697 * bits + 2709.2 : 0.63708 * bits + 2892.4;
}
