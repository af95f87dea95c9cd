import { DseError } from '../../core/errors.ts';
import { techModel } from '../tech/nodes.ts';
import type { Hardware } from '../types.ts';
import { priceStorage } from './builtin-pricing.ts';
import { SYSTOLIC_AXES } from './systolic-folds.ts';
import type { Architecture, Operand, StorageLevel } from './types.ts';

type LevelSpec = Omit<StorageLevel, 'energyPJ' | 'areaUM2'>;

/**
 * The flat systolic template (models/hardware.ts: peRows x peCols, dataflow, shared or split
 * SRAMs, per-PE registers, DRAM GB/s at a clock, bitwidths, technology node) as an architecture
 * description, so the flat parameters are a shorthand for one:
 *
 *   DRAM -> GLB (one shared level keeping W, I, O; or the ifmap, filter and ofmap SRAMs as three
 *   levels keeping I, W, O, chained, the innermost fanning out) -> per-PE registers (the operand
 *   the dataflow keeps in the PEs) -> peRows x peCols MACs with `systolic: {rows, cols, dataflow}`.
 *
 * The fan-out to the PEs carries the dataflow's dims (SYSTOLIC_AXES: ws C R S on rows, K on
 * columns; os N P Q rows, K columns; is C R S rows, N P Q columns). Prices: the flat model's 45 nm
 * table at `techNode` (builtin-pricing.ts); the MAC at the flat model's multiplier(weightBits x
 * activationBits) + adder(accumBits); the registers' area at rfBytes x 8 register bits, as the flat
 * PE area. One word per level, as architectures have: DRAM and the shared GLB at the wider of
 * weightBits/activationBits (partial sums in a shared GLB are not widened to accumBits), the ofmap
 * SRAM and output registers at accumBits. DRAM bandwidth = dramGBps / clockMHz bytes per cycle.
 * Vector lanes: peCols, as the flat vector unit. Not carried over: fusion, kvBits (one word per
 * datum on an architecture) and the flat model's DRAM tiling rules (the mapper tiles instead).
 */
export function architectureFromHardware(hw: Hardware): Architecture {
  const t = techModel(hw.techNode);
  const dataBits = Math.max(hw.weightBits, hw.activationBits);
  const axes = SYSTOLIC_AXES[hw.dataflow];
  const pes = hw.peRows * hw.peCols;
  const arrayDims = [...axes.rows, ...axes.cols];
  const dramWordsPerCycle = (hw.dramGBps * 1e3) / hw.clockMHz / (dataBits / 8);
  const sram = (name: string, kib: number, wordBits: number, keeps: Operand[], fansOut: boolean): LevelSpec => ({
    name,
    className: 'SRAM',
    instances: 1,
    capacityWords: Math.floor((kib * 1024 * 8) / wordBits),
    wordBits,
    keeps,
    blockWords: 1,
    bandwidthWordsPerCycle: null, // the flat model does not limit SRAM bandwidth
    spatialDims: fansOut ? arrayDims : [],
  });
  const buffers: LevelSpec[] =
    hw.glbKiB !== null
      ? [sram('GLB', hw.glbKiB, dataBits, ['W', 'I', 'O'], true)]
      : [
          sram('IfmapSRAM', hw.ifmapSramKiB, hw.activationBits, ['I'], false),
          sram('FilterSRAM', hw.filterSramKiB, hw.weightBits, ['W'], false),
          sram('OfmapSRAM', hw.ofmapSramKiB, hw.accumBits, ['O'], true),
        ];
  const kept: Operand = hw.dataflow === 'ws' ? 'W' : hw.dataflow === 'is' ? 'I' : 'O';
  const regBits = kept === 'W' ? hw.weightBits : kept === 'I' ? hw.activationBits : hw.accumBits;
  const regWords = Math.floor((hw.rfBytes * 8) / regBits);
  if (regWords < 1) {
    throw new DseError('invalid_hardware', `rfBytes ${hw.rfBytes} cannot hold one ${regBits}-bit word of the operand a ${hw.dataflow} PE keeps`, { path: 'rfBytes' });
  }
  const specs: LevelSpec[] = [
    { name: 'DRAM', className: 'DRAM', instances: 1, capacityWords: null, wordBits: dataBits, keeps: ['W', 'I', 'O'], blockWords: 1, bandwidthWordsPerCycle: dramWordsPerCycle, spatialDims: [] },
    ...buffers,
    { name: 'Registers', className: 'regfile', instances: pes, capacityWords: regWords, wordBits: regBits, keeps: [kept], blockWords: 1, bandwidthWordsPerCycle: null, spatialDims: [] },
  ];
  const levels: StorageLevel[] = specs.map((l) => {
    const p = priceStorage(l, 'builtin-45nm', hw.techNode);
    // The flat PE area counts all rfBytes at the register-file bit area.
    return { ...l, energyPJ: p.energyPJ, areaUM2: l.className === 'regfile' ? hw.rfBytes * 8 * t.rfUM2PerBit : p.areaUM2 };
  });
  const glbName = hw.glbKiB !== null ? `glb${hw.glbKiB}KiB` : `sram${hw.ifmapSramKiB}-${hw.filterSramKiB}-${hw.ofmapSramKiB}KiB`;
  return {
    name: `systolic ${hw.peRows}x${hw.peCols} ${hw.dataflow} ${glbName}`,
    levels,
    compute: {
      name: 'MAC',
      instances: pes,
      macBits: dataBits,
      macEnergyPJ: t.multiplierPJ(hw.weightBits, hw.activationBits) + t.adderPJ(hw.accumBits),
      areaUM2: t.multiplierUM2(hw.weightBits, hw.activationBits) + t.adderUM2(hw.accumBits),
      systolic: { rows: hw.peRows, cols: hw.peCols, dataflow: hw.dataflow },
    },
    vectorLanes: hw.peCols,
    clockMHz: hw.clockMHz,
  };
}
