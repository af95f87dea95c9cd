import type { Argv, CommandModule } from 'yargs';

interface Args {
  hardware: string;
  workload: string;
  param?: string[];
  solver: 'highs' | 'jslp';
  policy: 'ilp' | 'greedy' | 'none';
  timeLimit: number;
  oversized: 'stream' | 'infeasible';
  json: boolean;
}

/**
 * `dse schedule --hardware hw.yaml --workload resnet50`: schedules one workload onto one
 * design's on-chip memory and prints the fusion groups, order, residency decisions and DRAM
 * traffic, with whether the ILP proved its optimum.
 */
export const command: CommandModule<object, Args> = {
  command: 'schedule',
  describe: "schedule a workload onto a design's on-chip memory (fusion groups, order, residency) minimising DRAM traffic",
  builder: (y: Argv<object>) =>
    y
      .example('$0 schedule -H configs/hardware/edge-32x32.yaml -w resnet50', 'fusion groups, order and DRAM traffic of the ILP schedule')
      .example('$0 schedule -H hw.yaml -w bert_base -p seqLen=256 --policy greedy', 'another policy and a zoo parameter')
      .option('hardware', { alias: 'H', type: 'string', demandOption: true, describe: 'hardware file (.yaml/.json/.cfg)' })
      .option('workload', { alias: 'w', type: 'string', demandOption: true, describe: 'zoo name (resnet50, bert_base, ...) or layer-list file' })
      .option('param', { alias: 'p', type: 'string', array: true, describe: 'zoo parameter, key=value (repeatable), e.g. --param seqLen=256' })
      .option('solver', { choices: ['highs', 'jslp'] as const, default: 'highs' as const, describe: 'ILP backend' })
      .option('policy', { choices: ['ilp', 'greedy', 'none'] as const, default: 'ilp' as const, describe: 'scheduling policy' })
      .option('time-limit', { type: 'number', default: 10, describe: 'ILP time limit for the whole workload, seconds' })
      .option('oversized', { choices: ['stream', 'infeasible'] as const, default: 'stream' as const, describe: 'ops larger than the buffer: run tiled from DRAM, or make the schedule infeasible' })
      .option('json', { type: 'boolean', default: false, describe: 'print the full result as JSON' }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const { loadHardwareFile } = await import('../../models/hardware-file.ts');
    const { onChipCapacityBytes } = await import('../../models/hardware.ts');
    const { loadWorkload } = await import('../../models/workload/load-workload.ts');
    const { scheduleWorkload } = await import('../../search/schedule/index.ts');
    const { parseParamOptions } = await import('../param-options.ts');
    const params = parseParamOptions(argv.param);
    const hw = loadHardwareFile(argv.hardware);
    const workload = loadWorkload(argv.workload, params);
    const r = await scheduleWorkload(workload, {
      capacityBytes: onChipCapacityBytes(hw),
      activationBits: hw.activationBits,
      weightBits: hw.weightBits,
      policy: argv.policy,
      solver: argv.solver,
      timeLimitS: argv.timeLimit,
      oversizedOps: argv.oversized,
    });
    if (argv.json) {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      return;
    }
    const out: string[] = [];
    const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
    out.push(`workload ${workload.name} (${workload.ops.length} ops) on ${kib(r.capacityBytes)} on-chip, ${hw.activationBits}-bit activations`);
    out.push(`policy ${r.policy}${r.policy === 'ilp' ? `, solver ${r.solver}` : ''}`);
    if (!r.feasible) {
      out.push(`infeasible: ${r.note ?? ''}`);
      process.stdout.write(out.join('\n') + '\n');
      return;
    }
    out.push('', `fusion groups (${r.groups.length}):`);
    for (const g of r.groups) out.push(`  [${g.join(', ')}]`);
    out.push('', `order: ${r.order.join(' ')}`);
    out.push('', `kept on chip across other ops (${r.residency.length}):`);
    for (const d of r.residency) out.push(`  ${d.tensor} (${kib(d.bytes)}) from ${d.from} to ${d.to}, across ${d.across.length} op(s)`);
    out.push(`written and read back (${r.spills.length}):`);
    for (const s of r.spills) out.push(`  ${s.tensor} (${kib(s.bytes)})${s.written ? '' : ' [network input, re-read]'} read back by ${s.readBackBy.join(', ')}`);
    if (r.streamedOps.length > 0) out.push(`run tiled from DRAM (larger than the buffer): ${r.streamedOps.length} op(s): ${r.streamedOps.slice(0, 8).join(', ')}${r.streamedOps.length > 8 ? ', ...' : ''}`);
    out.push('');
    out.push(`DRAM bytes: ${r.dramBytes.toLocaleString('en-US')} (compulsory ${r.compulsoryDramBytes.toLocaleString('en-US')}, non-compulsory ${r.nonCompulsoryDramBytes.toLocaleString('en-US')})`);
    out.push(`peak on-chip: ${kib(r.peakOnChipBytes)} of ${kib(r.capacityBytes)}`);
    if (r.policy === 'ilp') {
      out.push(`optimum: ${r.proven ? 'proven' : 'not proven'}; gap ${r.gap === null ? 'unknown' : (r.gap * 100).toFixed(2) + '%'}; ${r.pieces} exact piece(s), ${r.solverCalls} solver call(s)`);
    }
    out.push(`solve time: ${r.solveMs.toFixed(0)} ms`);
    if (r.note) out.push(`note: ${r.note}`);
    process.stdout.write(out.join('\n') + '\n');
  },
};
