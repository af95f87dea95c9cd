/**
 * An accelerator described the way Timeloop describes one: storage levels from DRAM inwards,
 * each with its instances, capacity, word size, kept operands, block size and bandwidth; a
 * compute level; and the spatial fan-out between levels with the problem dimensions each fan-out
 * may carry. Pure data (plain JSON), so it crosses worker boundaries unchanged.
 */

/** Timeloop's cnn-layer dimensions, in this fixed order everywhere (index = position). */
export const DIMS = ['N', 'C', 'K', 'P', 'Q', 'R', 'S'] as const;
export type Dim = (typeof DIMS)[number];

/** The three operands (Timeloop's data spaces) of a convolution, in Timeloop's print order. */
export const OPERANDS = ['W', 'I', 'O'] as const;
export type Operand = (typeof OPERANDS)[number];

/** Energy per vector access (one block) of a storage level, by Timeloop action. */
export interface StorageEnergyPJ {
  read: number;
  fill: number;
  update: number;
  /** Leakage per instance per cycle, where a table gives one (Timeloop's default: none). */
  leakPerCycle: number;
}

export interface StorageLevel {
  name: string;
  /** Timeloop class (`DRAM`, `SRAM`, `regfile`, ...), used to pick built-in energy formulas. */
  className: string;
  /** Total instances of this level in the chip (e.g. one per PE column). */
  instances: number;
  /** Capacity of one instance in words; null = unbounded (DRAM). */
  capacityWords: number | null;
  wordBits: number;
  /** Operands this level may keep; the others bypass it. */
  keeps: Operand[];
  /** Words per vector access (Timeloop's block size). */
  blockWords: number;
  /** Words per cycle per instance, all actions together (Timeloop's shared_bandwidth); null = unlimited. */
  bandwidthWordsPerCycle: number | null;
  /** Problem dims allowed on the spatial loops of this level (its fan-out to the next inner level). */
  spatialDims: Dim[];
  /** Problem dims allowed on this level's temporal loops (absent: all). A mapspace constraint. */
  temporalDims?: Dim[];
  /** Fixed order of this level's temporal loops, outer to inner (absent: the mapper chooses). */
  loopOrder?: Dim[];
  energyPJ: StorageEnergyPJ;
  /** Area of one instance, um^2. */
  areaUM2: number;
}

export interface ComputeLevel {
  name: string;
  instances: number;
  macBits: number;
  /** Energy of one MAC, pJ. */
  macEnergyPJ: number;
  /** Area of one MAC unit, um^2. */
  areaUM2: number;
  /** The MACs form a systolic array: mappings pay SCALE-Sim's per-fold fill/drain (systolic-folds.ts). */
  systolic?: SystolicArray;
}

/** A rows x cols systolic array and its dataflow (which operand stays in the PEs: ws weights, os outputs, is inputs). */
export interface SystolicArray {
  rows: number;
  cols: number;
  dataflow: 'ws' | 'os' | 'is';
}

/** Storage levels outermost (DRAM) first; the compute level sits below the last one. */
export interface Architecture {
  name: string;
  levels: StorageLevel[];
  compute: ComputeLevel;
  /** Lanes of the unit that runs ops without MACs (absent: models/arch/vector-op-cost.ts `vectorLanes` default). */
  vectorLanes?: number;
  /** The clock its per-cycle bandwidths were stated at (the systolic preset converts GB/s with it): the default clock of `dse eval --arch` and studies. */
  clockMHz?: number;
}

/** One layer in Timeloop's cnn-layer form (dilation 1, no padding: input = (P-1)*stride + R). */
export interface LayerShape {
  N: number;
  C: number;
  K: number;
  P: number;
  Q: number;
  R: number;
  S: number;
  strideW: number;
  strideH: number;
}

export interface Loop {
  /** Index into DIMS. */
  dim: number;
  factor: number;
}

/** The loops of one storage level: temporal (outer to inner), then spatial (over its fan-out). */
export interface LevelMapping {
  temporal: Loop[];
  spatial: Loop[];
  /** Operands kept at this level under this mapping (the mapping may bypass more than the architecture). */
  keeps: Operand[];
}

/** A mapping: one entry per storage level, outermost first (same order as Architecture.levels). */
export interface Mapping {
  levels: LevelMapping[];
}
