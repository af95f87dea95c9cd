import { DseError } from '../core/errors.ts';
import { loadArchitectureFile } from '../models/arch/architecture-file.ts';
import { loopNestText } from '../models/arch/loop-nest-text.ts';
import { OPERANDS } from '../models/arch/types.ts';
import { architectureTargetOf, evalWithMapping, evalWorkloadOnArchitecture, parseLayer, runBatch } from './arch-eval.ts';
import { vectorLanes } from '../models/arch/vector-op-cost.ts';
import type { Architecture } from '../models/arch/types.ts';
import type { MapperObjective } from '../models/arch/mapper.ts';
import { textTable } from './text-table.ts';

/** The architecture-file options of `dse eval`. */
export interface ArchArgs {
  arch?: string;
  layer?: string;
  mapping?: string;
  batch?: string;
  output?: string;
  table?: string[];
  objective?: string;
  json?: boolean;
  workload?: string;
  param?: string[];
  /** --clock-mhz, with --arch and --workload. */
  clockMhz?: number;
}

/** The architecture-file side of `dse eval`: --arch/--layer/--mapping, --arch/--workload, or --batch. */
export async function evalArchCommand(argv: ArchArgs): Promise<void> {
  const tables = argv.table ?? [];
  if (argv.batch !== undefined) {
    const r = await runBatch(argv.batch, argv.output, tables, objectiveOf(argv.objective));
    if (argv.output) process.stderr.write(`${r.lines} lines evaluated, ${r.errors} with errors -> ${argv.output}\n`);
    return;
  }
  if (argv.arch === undefined) throw new DseError('missing_option', '--mapping needs --arch <architecture file> and --layer');
  if (argv.workload !== undefined && argv.layer === undefined && argv.mapping === undefined) {
    await printWorkload(argv, loadArchitectureFile(argv.arch, { tables }), argv.workload);
    return;
  }
  if (argv.layer === undefined) throw new DseError('missing_option', '--arch needs --layer (JSON or C=64,K=128,...) or --workload');
  const arch = loadArchitectureFile(argv.arch, { tables });
  const layer = parseLayer(argv.layer, '--layer');
  const r = evalWithMapping(arch, layer, argv.mapping, objectiveOf(argv.objective));
  const c = r.cost;
  if (argv.json) {
    process.stdout.write(`${JSON.stringify({ cycles: r.cycles, computeCycles: c.computeCycles, energyPJ: r.energyPJ, areaMM2: r.areaMM2, macs: c.macs, bound: c.bound, mapping: r.mapping, macEnergyPJ: c.macEnergyPJ, levels: c.levels }, null, 2)}\n`);
    return;
  }
  const rows = c.levels.map((l) => {
    const words = (f: 'reads' | 'fills' | 'updates'): string => OPERANDS.filter((o) => l.accesses[o]).map((o) => `${o} ${Math.round(l.accesses[o]![f]).toLocaleString('en-US')}`).join(', ') || '-';
    return [l.name, String(l.utilizedInstances), String(l.usedWords), words('reads'), words('fills'), words('updates'), l.cycles.toLocaleString('en-US'), (l.energyPJ / 1e6).toFixed(6), (l.areaUM2 / 1e6).toFixed(6)];
  });
  rows.push([arch.compute.name, '', '', `${c.macs.toLocaleString('en-US')} MACs`, '', '', c.computeCycles.toLocaleString('en-US'), (c.macEnergyPJ / 1e6).toFixed(6), ((arch.compute.areaUM2 * arch.compute.instances) / 1e6).toFixed(6)]);
  process.stdout.write(
    `mapping   ${r.mapping}${argv.mapping === undefined ? ` (the mapper's best for ${objectiveOf(argv.objective)})` : ''}\n${loopNestText(arch, r.parsed)}\n\n` +
      textTable(['level', 'used inst', 'tile words', 'reads/inst', 'fills/inst', 'updates/inst', 'cycles', 'energy uJ', 'area mm^2'], rows, (i) => i === 1 || i === 2 || i >= 6) +
      `\ncycles    ${r.cycles.toLocaleString('en-US')} (compute ${c.computeCycles.toLocaleString('en-US')}, bound by ${c.bound})\n` +
      `energy    ${(r.energyPJ / 1e6).toFixed(6)} uJ = ${r.energyPJ.toFixed(2)} pJ\n` +
      `area      ${r.areaMM2.toFixed(6)} mm^2\n`,
  );
}

/** `dse eval --arch <file> --workload <name|file>`: every op mapped or run on the vector lanes, as a study costs it; one row per op. */
async function printWorkload(argv: ArchArgs, arch: Architecture, spec: string): Promise<void> {
  const { parseParamOptions } = await import('./param-options.ts');
  const { loadWorkload } = await import('../models/workload/load-workload.ts');
  const { MapperCache } = await import('../models/arch/mapper.ts');
  const workload = loadWorkload(spec, parseParamOptions(argv.param));
  const target = architectureTargetOf(arch, argv.clockMhz ?? arch.clockMHz ?? 1000, objectiveOf(argv.objective), new MapperCache());
  const m = await evalWorkloadOnArchitecture(target, workload);
  if (argv.json) {
    process.stdout.write(`${JSON.stringify({ architecture: arch.name, workload: { name: workload.name, params: workload.params }, clockMHz: target.clockMHz, vectorLanes: vectorLanes(arch), metrics: m }, null, 2)}\n`);
    return;
  }
  const rows = m.layers.map((l) => [l.name, l.kind, Math.round(l.macs).toLocaleString('en-US'), Math.round(l.latencyCycles).toLocaleString('en-US'), l.bound, (l.energyPJ / 1e6).toFixed(3), Math.round(l.dramReadBytes + l.dramWriteBytes).toLocaleString('en-US')]);
  process.stdout.write(
    `${workload.name} ${JSON.stringify(workload.params)} on ${arch.name} at ${target.clockMHz} MHz (mapper objective ${target.objective}; ops without MACs on ${vectorLanes(arch)} vector lanes)\n\n` +
      textTable(['layer', 'kind', 'MACs', 'cycles', 'bound', 'energy uJ', 'DRAM bytes'], rows, (i) => i === 2 || i === 3 || i >= 5) +
      `\nlatency   ${m.latencyS.toExponential(4)} s (${Math.round(m.latencyCycles).toLocaleString('en-US')} cycles)\n` +
      `energy    ${(m.energyPJ / 1e6).toFixed(3)} uJ\n` +
      `area      ${m.areaMM2.toFixed(6)} mm^2\n` +
      `DRAM      ${Math.round(m.dramBytes).toLocaleString('en-US')} bytes (compulsory ${Math.round(m.compulsoryDramBytes).toLocaleString('en-US')})\n`,
  );
}

function objectiveOf(v: string | undefined): MapperObjective {
  if (v === undefined) return 'edp';
  if (v === 'latency' || v === 'energy' || v === 'edp') return v;
  throw new DseError('invalid_option', `--objective must be latency, energy or edp (got ${v})`, { path: '--objective' });
}
