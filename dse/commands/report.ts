import type { Argv, CommandModule } from 'yargs';

interface Args {
  /** Read under its own name: `default: undefined` (which keeps `[default: []]` out of --help) leaves yargs' camel-case copy with a stray undefined. */
  'run-dirs': string[];
  out?: string;
  format?: 'html' | 'md' | 'ipynb';
  design?: string;
  reference?: string;
}

/**
 * `dse report <run-dir>... [-o FILE] [--format html|md|ipynb] [--design ID] [--reference FILE]`:
 * a notebook-style report of one run, or of several runs compared (one convergence line per
 * run). The HTML file is self-contained and opens offline. Prints the path written.
 */
export const command: CommandModule<object, Args> = {
  command: 'report <run-dirs..>',
  describe: 'write a notebook-style report (HTML, Markdown or Jupyter notebook) of one or more runs',
  builder: (y: Argv<object>) =>
    y
      .example('$0 report runs/quickstart-resnet18/<time>', 'report.html in the run directory')
      .example('$0 report runs/a runs/b -o compare.md', 'compare runs of one problem, as Markdown')
      .example('$0 report runs/a --design knee -o knee.ipynb', 'a notebook dissecting the knee design')
      .positional('run-dirs', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'run directories (each with journal.jsonl); several to compare searchers' })
      .option('out', { alias: 'o', type: 'string', describe: 'file to write (default: <run-dir>/report.html for one run, ./report.html for several)' })
      .option('format', { type: 'string', choices: ['html', 'md', 'ipynb'] as const, describe: 'output format (default: from the file name, else html)' })
      .option('design', { type: 'string', describe: "front design to dissect in the anatomy section: 'knee' (the default), its hash (or a unique prefix) or seq" })
      .option('reference', { type: 'string', describe: 'reference front (front.json of another run, or a list of objective vectors) to draw its hypervolume' }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const { writeReport } = await import('../report-writer.ts');
    const path = await writeReport({
      runDirs: argv['run-dirs'],
      ...(argv.out !== undefined ? { out: argv.out } : {}),
      ...(argv.format !== undefined ? { format: argv.format } : {}),
      ...(argv.design !== undefined ? { design: String(argv.design) } : {}),
      ...(argv.reference !== undefined ? { reference: argv.reference } : {}),
    });
    process.stdout.write(`${path}\n`);
  },
};
