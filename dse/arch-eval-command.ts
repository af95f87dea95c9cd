import { DseError } from '../core/errors.ts';
import { loadArchitectureFile } from '../models/arch/architecture-file.ts';
import { loopNestText } from '../models/arch/loop-nest-text.ts';
import { OPERANDS } from '../models/arch/types.ts';
import { evalWithMapping, parseLayer, runBatch } from './arch-eval.ts';
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
}

/** The architecture-file side of `dse eval`: --arch/--layer/--mapping, or --batch. */
export function evalArchCommand(argv: ArchArgs): void {
  const tables = argv.table ?? [];
  if (argv.batch !== undefined) {
    const r = runBatch(argv.batch, argv.output, tables, objectiveOf(argv.objective));
    if (argv.output) process.stderr.write(`${r.lines} lines evaluated, ${r.errors} with errors -> ${argv.output}\n`);
    return;
  }
  if (argv.arch === undefined) throw new DseError('missing_option', '--mapping needs --arch <architecture file> and --layer');
  if (argv.layer === undefined) throw new DseError('missing_option', '--arch needs --layer (JSON or C=64,K=128,...)');
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

function objectiveOf(v: string | undefined): MapperObjective {
  if (v === undefined) return 'edp';
  if (v === 'latency' || v === 'energy' || v === 'edp') return v;
  throw new DseError('invalid_option', `--objective must be latency, energy or edp (got ${v})`, { path: '--objective' });
}
