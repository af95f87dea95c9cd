import type { Argv, CommandModule } from 'yargs';
import { terminalLine } from '../../core/inert-text.ts';

interface Args {
  spec?: string;
  param?: string[];
  json?: boolean;
}

/**
 * `dse workloads`: the model zoo with each network's MACs, weights and op counts at its
 * default parameters, and the parameters it takes. `dse workloads <zoo name | file>` shows one
 * workload layer by layer (zoo parameters via `--param seqLen=256`), to check a layer list or
 * a SCALE-Sim topology before using it in a study.
 */
export const command: CommandModule<object, Args> = {
  command: 'workloads [spec]',
  describe: 'list the model zoo (MACs, parameters, ops), or show one workload layer by layer',
  builder: (y: Argv<object>) =>
    y
      .example('$0 workloads', 'list the zoo')
      .example('$0 workloads bert_base -p seqLen=256', 'one workload, layer by layer')
      .positional('spec', { type: 'string', describe: 'a zoo name or a workload file (.yaml, .yml, .json, .csv, .onnx)' })
      .option('param', { alias: 'p', type: 'string', array: true, describe: 'zoo parameter or ONNX symbolic dim name=value (repeatable)' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const { DseError } = await import('../../core/errors.ts');
    const { listZoo, loadWorkload, loadWorkloadReporting } = await import('../../models/workload/load-workload.ts');
    const { summarizeWorkload, formatCount } = await import('../../models/workload/workload-summary.ts');
    const { opMacs, opWeightElements } = await import('../../models/op-size.ts');
    const { textTable } = await import('../text-table.ts');
    const { parseParamOptions } = await import('../param-options.ts');

    const params = parseParamOptions(argv.param);

    if (argv.spec) {
      const { workload: w, warnings } = loadWorkloadReporting(argv.spec, params);
      for (const line of warnings) process.stderr.write(`warning: ${terminalLine(line)}\n`);
      const s = summarizeWorkload(w);
      if (argv.json) {
        process.stdout.write(`${JSON.stringify({ ...s, workload: w }, null, 2)}\n`);
        return;
      }
      const rows = w.ops.map((op) => [op.name, op.kind === 'eltwise' ? `eltwise ${op.fn}` : op.kind, formatCount(opMacs(op)), formatCount(opWeightElements(op)), op.inputs.join(' ')]);
      // One write, so a reader that stops early (`| head`) does not make a second write fail.
      process.stdout.write(
        `${w.name} ${JSON.stringify(w.params)}: ${formatCount(s.macs)} MACs, ${formatCount(s.weightElements)} weights, ${s.ops} ops\n\n` +
          textTable(['op', 'kind', 'MACs', 'weights', 'inputs'], rows),
      );
      return;
    }
    if (Object.keys(params).length > 0) throw new DseError('bad_usage', 'give a workload to apply --param to', { path: '--param' });

    const zoo = listZoo().map((z) => {
      const s = summarizeWorkload(loadWorkload(z.name));
      return { ...z, defaults: s.params, macs: s.macs, weightElements: s.weightElements, ops: s.ops, opCounts: s.opCounts };
    });
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(zoo, null, 2)}\n`);
      return;
    }
    const rows = zoo.map((z) => [
      z.name,
      formatCount(z.macs),
      formatCount(z.weightElements),
      String(z.ops),
      Object.entries(z.params)
        .map(([k, p]) => `${k}=${p.default} (${p.kind === 'int' ? `${p.min}..${p.max}` : p.values.join('|')})`)
        .join(', '),
    ]);
    process.stdout.write(
      textTable(['name', 'MACs', 'weights', 'ops', 'parameters: default (allowed)'], rows) +
        "\nMACs and weights at the default parameters. Use a name in a study's workloads, with params: {...}.\n",
    );
  },
};

