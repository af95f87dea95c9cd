import type { Argv, CommandModule } from 'yargs';
import { terminalLine } from '../../core/inert-text.ts';
import { DseError } from '../../core/errors.ts';
import type { ArchArgs } from '../arch-eval-command.ts';

/** The --hardware/--workload options beside the architecture-file ones (--arch, --layer, --mapping, --batch, ...). */
interface Args extends ArchArgs {
  hardware?: string;
  asArchitecture?: boolean;
  workload?: string;
  param?: string[];
}

/**
 * `dse eval --hardware <file> --workload <zoo name | file>`: the cost model on one design, layer
 * by layer: compute cycles (SCALE-Sim v2's systolic model), mapping efficiency, stalls, DRAM
 * traffic and the tiling or attention schedule that produced it, energy with its breakdown, and
 * totals (latency, energy, area, DRAM bytes). `--json` prints the same as JSON.
 */
export const command: CommandModule<object, Args> = {
  command: 'eval',
  describe: 'evaluate one hardware design on one workload with the cost model, layer by layer',
  builder: (y: Argv<object>) =>
    y
      .example('$0 eval -H configs/hardware/edge-32x32.yaml -w resnet18', 'cost one design on one workload, layer by layer')
      .example('$0 eval -H configs/hardware/edge-32x32.yaml -w bert_base -p seqLen=256 --json', 'the same as JSON')
      .example('$0 eval --arch configs/hardware/gemmini-like.arch.yaml -w resnet50', 'every op of a workload on an architecture, as a study costs it')
      .example('$0 eval -H configs/hardware/edge-32x32.yaml --as-architecture > edge.arch.yaml', 'the flat design as an architecture file that --arch reads')
      .option('hardware', { alias: 'H', type: 'string', describe: 'hardware file (.yaml, .yml, .json, or a SCALE-Sim .cfg)' })
      .option('workload', { alias: 'w', type: 'string', describe: 'a zoo name or a workload file (.yaml, .yml, .json, .csv, .onnx); with --hardware, or with --arch (every op on the architecture)' })
      .option('arch', { alias: 'a', type: 'string', describe: 'architecture file (accel-dse levels or a Timeloop v0.3 architecture YAML), with --layer and --mapping, or with --workload' })
      .option('layer', { type: 'string', describe: 'one layer for --arch: JSON or C=64,K=128,P=56,Q=56,R=3,S=3,strideW=1,strideH=1 (unset dims are 1)' })
      .option('mapping', { alias: 'm', type: 'string', describe: 'Timeloop compact mapping string, e.g. "L3[WIO] K16 P7 - L2[WI] N1 K16X - L1[O] C32 - L0[W] N1"' })
      .option('table', { type: 'string', array: true, describe: 'energy/area table applied to --arch: Accelergy ERT.yaml/ART.yaml or a plain table (repeatable)' })
      .option('objective', { type: 'string', describe: 'with --arch and no --mapping (or batch lines without one): the mapper optimises latency, energy or edp (default edp)' })
      .option('clock-mhz', { type: 'number', describe: "with --arch and --workload: the clock, MHz (default the architecture file's clockMHz, else 1000)" })
      .option('batch', { type: 'string', describe: 'JSONL file, one {"id", "architecture", "layer", "mapping"} or {"id", "architecture", "workload", "params", "clockMHz"} per line' })
      .option('output', { alias: 'o', type: 'string', describe: 'with --batch: write the JSONL results here instead of stdout' })
      .option('param', { alias: 'p', type: 'string', array: true, describe: 'zoo parameter or ONNX symbolic dim name=value (repeatable)' })
      .option('as-architecture', { type: 'boolean', describe: 'with --hardware: print the design as an accel-dse architecture file (the systolic template expanded) instead of costing it' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as unknown as Argv<Args>,
  handler: async (argv) => {
    if (argv.asArchitecture) {
      if (argv.hardware === undefined) throw new DseError('missing_option', '--as-architecture needs --hardware <file>', { path: '--as-architecture' });
      const { printHardwareAsArchitecture } = await import('../hardware-as-architecture.ts');
      printHardwareAsArchitecture(argv.hardware);
      return;
    }
    if (argv.batch !== undefined || argv.arch !== undefined || argv.mapping !== undefined) {
      const { evalArchCommand } = await import('../arch-eval-command.ts');
      await evalArchCommand(argv);
      return;
    }
    if (argv.hardware === undefined || argv.workload === undefined) {
      throw new DseError('missing_option', 'dse eval needs --hardware and --workload (or --arch, --layer and --mapping, or --batch)');
    }
    const { evaluateHardware } = await import('../evaluate.ts');
    const { loadWorkloadReporting } = await import('../../models/workload/load-workload.ts');
    const { explainLayer } = await import('../../models/cost/evaluate.ts');
    const { areaBreakdownMM2 } = await import('../../models/cost/area.ts');
    const { textTable } = await import('../text-table.ts');
    const { parseParamOptions } = await import('../param-options.ts');

    const params = parseParamOptions(argv.param);
    const { workload: loaded, warnings } = loadWorkloadReporting(argv.workload, params);
    for (const line of warnings) process.stderr.write(`warning: ${terminalLine(line)}\n`);
    // The same evaluation as a study's: the hardware's fusion policy schedules the workload first.
    const { hardware: hw, workload, plan, metrics: m } = await evaluateHardware(argv.hardware, loaded, { schedule: { timeLimitS: 10 } });
    const nonFinite = (['latencyS', 'energyPJ', 'areaMM2', 'dramBytes', 'edp', 'quantError'] as const).filter((k) => !Number.isFinite(m[k]));
    if (nonFinite.length > 0) {
      throw new DseError('non_finite_metric', `gives a non-finite ${nonFinite.join(', ')}: the hardware is outside what the cost model can describe`, { file: argv.hardware });
    }
    const schedules = workload.ops.map((op) => {
      const d = explainLayer(hw, op, workload, plan).detail;
      if (d.tiling) return `${d.tiling.order} h${d.tiling.tileH} m${d.tiling.tileM} c${d.tiling.tileC}`;
      if (d.attention) return d.attention.schedule;
      return 'stream';
    });
    const area = areaBreakdownMM2(hw);

    if (argv.json) {
      const out = {
        hardware: hw,
        workload: { name: workload.name, params: workload.params },
        layers: m.layers.map((l, i) => ({
          name: l.name,
          kind: l.kind,
          macs: l.macs,
          computeCycles: l.computeCycles,
          mappingEfficiency: l.mappingEfficiency,
          utilization: l.utilization,
          stallCycles: l.stallCycles,
          latencyCycles: l.latencyCycles,
          bound: l.bound,
          schedule: schedules[i],
          sramReads: l.sramReads,
          sramWrites: l.sramWrites,
          dramReadBytes: l.dramReadBytes,
          dramWriteBytes: l.dramWriteBytes,
          energyPJ: l.energyPJ,
          energyBreakdownPJ: l.energyBreakdownPJ,
          quantError: l.quantError,
        })),
        totals: {
          macs: m.macs,
          latencyCycles: m.latencyCycles,
          latencyS: m.latencyS,
          energyPJ: m.energyPJ,
          energyBreakdownPJ: m.energyBreakdownPJ,
          areaMM2: m.areaMM2,
          areaBreakdownMM2: { pes: area.pes, vector: area.vector, sram: area.sram },
          dramBytes: m.dramBytes,
          compulsoryDramBytes: m.compulsoryDramBytes,
          edp: m.edp,
          quantError: m.quantError,
          utilization: m.utilization,
        },
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }

    const rows = m.layers.map((l, i) => [
      l.name,
      l.kind,
      count(l.macs),
      count(l.computeCycles),
      l.macs > 0 ? `${(100 * l.mappingEfficiency).toFixed(1)}%` : '-',
      count(l.stallCycles),
      count(l.latencyCycles),
      l.bound,
      count(l.dramReadBytes),
      count(l.dramWriteBytes),
      (l.energyPJ / 1e6).toFixed(3),
      schedules[i]!,
    ]);
    const e = m.energyBreakdownPJ;
    const share = (x: number): string => `${((100 * x) / m.energyPJ).toFixed(0)}%`;
    const hwLine =
      `${hw.peRows}x${hw.peCols} ${hw.dataflow}, ` +
      (hw.glbKiB !== null ? `${hw.glbKiB} KiB shared buffer` : `${hw.ifmapSramKiB}/${hw.filterSramKiB}/${hw.ofmapSramKiB} KiB SRAMs`) +
      `, ${hw.dramGBps} GB/s, ${hw.clockMHz} MHz, w${hw.weightBits}/a${hw.activationBits}/acc${hw.accumBits}, ${hw.techNode}`;
    process.stdout.write(
      `${workload.name} ${JSON.stringify(workload.params)} on ${hwLine}\n\n` +
        textTable(['layer', 'kind', 'MACs', 'compute cyc', 'map eff', 'stall cyc', 'latency cyc', 'bound', 'DRAM rd B', 'DRAM wr B', 'energy uJ', 'schedule'], rows, numericColumn) +
        `\nlatency   ${count(m.latencyCycles)} cycles = ${(m.latencyS * 1e3).toFixed(4)} ms (utilization ${(100 * m.utilization).toFixed(1)}%)\n` +
        `energy    ${(m.energyPJ / 1e6).toFixed(3)} uJ: mac ${share(e.mac)}, rf ${share(e.rf)}, sram ${share(e.sram)}, dram ${share(e.dram)}, other ${share(e.other)}\n` +
        `area      ${m.areaMM2.toFixed(3)} mm^2 (PEs ${area.pes.toFixed(3)}, vector ${area.vector.toFixed(3)}, SRAM ${area.sram.toFixed(3)})\n` +
        `DRAM      ${count(m.dramBytes)} bytes (compulsory ${count(m.compulsoryDramBytes)})\n` +
        `quant     ${m.quantError.toExponential(3)} (noise-power proxy, see docs/COST_MODEL.md)\n` +
        'schedule: loop order (ws/is/os) and DRAM-level tile (h output rows, m output channels, c input channels), or the attention schedule\n',
    );
  },
};

function count(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Columns of the per-layer table that hold numbers (right-aligned). */
function numericColumn(i: number): boolean {
  return i >= 2 && i <= 10 && i !== 7;
}
