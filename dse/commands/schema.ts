import type { CommandModule } from 'yargs';

export const command: CommandModule<object, { out?: string }> = {
  command: 'schema',
  describe: 'print the JSON Schema of study files (for editor completion and validation)',
  builder: (y) => y.option('out', { alias: 'o', type: 'string', describe: 'write to this file instead of stdout' })
      .example('$0 schema -o study.schema.json', 'write the JSON Schema for an editor'),
  handler: async (args) => {
    const { studyJsonSchema } = await import('../study-json-schema.ts');
    const text = JSON.stringify(studyJsonSchema(), null, 2) + '\n';
    if (args.out) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(args.out, text);
      process.stdout.write(`wrote ${args.out}\n`);
    } else process.stdout.write(text);
  },
};
