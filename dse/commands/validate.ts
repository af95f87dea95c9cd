import { terminalLine } from '../../core/inert-text.ts';
import type { CommandModule } from 'yargs';

export const command: CommandModule<object, { study: string }> = {
  command: 'validate <study>',
  describe: 'check a study file without running it',
  builder: (y) => y.positional('study', { type: 'string', demandOption: true, describe: 'study file (YAML or JSON)' })
      .example('$0 validate configs/quickstart.yaml', 'check a study without running it'),
  handler: async (args) => {
    const { loadStudy } = await import('../load-study.ts');
    const study = loadStudy(args.study);
    const s = study.spec;
    for (const w of study.warnings) process.stderr.write(`warning: ${terminalLine(w)}\n`);
    process.stdout.write(
      `${terminalLine(args.study)}: ok: study '${terminalLine(s.name, 200)}', ${s.workloads.length} workload(s), ${study.parameters.length} parameters, ` +
        `${study.spaceSize.toLocaleString('en-US')} designs, objectives ${s.objectives.join(', ')}, ` +
        `search ${s.search.algorithm} with budget ${s.search.budget}\n`,
    );
  },
};
