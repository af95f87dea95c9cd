/**
 * Search-quality benchmark: how much of the true Pareto front each searcher finds with a few
 * percent of a space's evaluations (docs/search-quality.md).
 *
 *   npm run bench:search                     both spaces, 10 seeds, 4 budgets; writes the report
 *   npm run bench:search -- --space small    one space (its section of the report is replaced)
 *   npm run bench:search -- --quick          3 seeds, 2 budgets; prints only
 *
 * Options: --space small|large|all, --quick, --seeds N, --workers N (threads for the exhaustive
 * evaluation), --cache DIR (truth tables; default <tmpdir>/accel-dse-search-quality),
 * --algorithms a,b,..., --write-front (rewrite configs/bench/large.front.json from the
 * recomputed truth), --no-docs (print only), --render-only (rewrite docs/search-quality.md from
 * the sections it already holds, running nothing).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadStudy } from '../dse/load-study.ts';
import { toolVersion } from '../dse/version.ts';
import { Space } from '../search/space.ts';
import { runExperiment } from './search-quality/experiment.ts';
import { parseSections, renderDocument, renderSpaceSection, type SpaceReport } from './search-quality/markdown.ts';
import { trueFrontOf } from './search-quality/quality.ts';
import { compareWithReference, referenceFrontOf, writeReferenceFront } from './search-quality/reference-front.ts';
import { BENCH_ALGORITHMS, SMALL_SHARES, SPACES, type BenchSpace } from './search-quality/spaces.ts';
import { searcherStamp } from './search-quality/source-stamp.ts';
import { hvRatioPlotSvg } from './search-quality/svg-plot.ts';
import { computeTruthTable, evaluationSourceHash, loadTruthTable, saveTruthTable, statusCounts, truthKey, type TruthTable } from './search-quality/truth-table.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const rel = (p: string): string => relative(root, p);

const { values: args } = parseArgs({
  options: {
    space: { type: 'string', default: 'all' },
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string' },
    workers: { type: 'string' },
    cache: { type: 'string' },
    algorithms: { type: 'string' },
    'write-front': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    'render-only': { type: 'boolean', default: false },
  },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`bench:search: ${message}\n`);
  process.exit(2);
}

const spaceIds: ('small' | 'large')[] = args.space === 'all' ? ['small', 'large'] : args.space === 'small' || args.space === 'large' ? [args.space] : fail(`--space must be small, large or all, got '${args.space}'`);
const seedCount = args.seeds !== undefined ? Number(args.seeds) : args.quick ? 3 : 10;
if (!Number.isInteger(seedCount) || seedCount < 1) fail(`--seeds must be a whole number >= 1, got '${args.seeds}'`);
const workers = args.workers !== undefined ? Number(args.workers) : availableParallelism();
if (!Number.isInteger(workers) || workers < 0) fail(`--workers must be a whole number >= 0, got '${args.workers}'`);
const algorithms = args.algorithms ? args.algorithms.split(',').map((a) => a.trim()) : [...BENCH_ALGORITHMS];
const cacheDir = args.cache ?? join(tmpdir(), 'accel-dse-search-quality');
const writeDocs = !args.quick && !args['no-docs'];
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const log = (s: string): void => void process.stderr.write(`${s}\n`);

async function truthOf(space: BenchSpace, study: ReturnType<typeof loadStudy>): Promise<{ table: TruthTable; note: string }> {
  const key = truthKey(study);
  const cached = loadTruthTable(cacheDir, key);
  const took = (t: TruthTable): string => (t.evaluationS !== undefined ? `${t.evaluationS.toFixed(1)} s with ${t.evaluationWorkers ?? '?'} worker thread(s)` : 'unknown time');
  if (cached) {
    log(`[${space.id}] truth table from cache ${join(cacheDir, key)}.bin`);
    return { table: cached, note: `Exhaustive evaluation: ${took(cached)} (taken from the cache).` };
  }
  log(`[${space.id}] evaluating all ${study.spaceSize.toLocaleString('en-US')} designs with ${workers} worker thread(s)...`);
  let lastLog = Date.now();
  const table = await computeTruthTable(study, {
    workers,
    onProgress: (done, size) => {
      if (Date.now() - lastLog > 10_000 || done === size) {
        lastLog = Date.now();
        log(`[${space.id}]   ${done.toLocaleString('en-US')} / ${size.toLocaleString('en-US')}`);
      }
    },
  });
  saveTruthTable(cacheDir, table);
  log(`[${space.id}] evaluated in ${table.evaluationS!.toFixed(1)} s; cached as ${join(cacheDir, key)}.bin`);
  return { table, note: `Exhaustive evaluation: ${took(table)}.` };
}

if (args['render-only']) {
  const docFile = join(root, 'docs', 'search-quality.md');
  if (!existsSync(docFile)) fail('docs/search-quality.md does not exist yet; run the benchmark first');
  writeFileSync(docFile, renderDocument(parseSections(readFileSync(docFile, 'utf8')), 'npm run bench:search'));
  log('re-rendered docs/search-quality.md');
  process.exit(0);
}

const command = `npm run bench:search${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
const sections = new Map<string, string>();
for (const id of spaceIds) {
  const space = SPACES[id];
  const study = loadStudy(space.file);
  const { table, note } = await truthOf(space, study);
  const truth = trueFrontOf(table);
  const counts = statusCounts(table);
  let referenceNote: string | undefined;
  if (space.referenceFront) {
    if (args['write-front']) {
      const designSpace = new Space(study.parameters, study.fixed);
      const ref = referenceFrontOf(
        truth,
        {
          studyFile: rel(space.file),
          studyHash: study.hash,
          evaluationSourceHash: evaluationSourceHash(),
          toolVersion: toolVersion(),
          spaceSize: table.size,
          counts,
          objectives: table.objectives,
          designAt: (i) => designSpace.designAt(i),
        },
        `npm run bench:search -- --space ${id} --write-front`,
      );
      writeReferenceFront(space.referenceFront, ref);
      log(`[${id}] wrote ${rel(space.referenceFront)} (${truth.points.length} points)`);
    }
    const cmp = compareWithReference(space.referenceFront, truth, table.objectives);
    referenceNote = `\`${rel(space.referenceFront)}\`: ${cmp.note}`;
    if (!cmp.matches) log(`[${id}] WARNING: ${cmp.note}`);
  }
  const budgets = space.budgets(table.size, args.quick);
  const stampBefore = searcherStamp();
  const started = Date.now();
  const cells = runExperiment(
    study,
    table,
    truth,
    { algorithms, seeds, budgets, batchSize: study.spec.search.batchSize, settings: study.spec.search.options },
    (r) => {
      if (r.seed === seeds[seeds.length - 1]) log(`[${id}] ${r.algorithm} budget ${r.budget}: done (${((Date.now() - started) / 1000).toFixed(0)} s so far)`);
    },
  );
  const targetBudget = id === 'small' && budgets.includes(Math.round(SMALL_SHARES[2] * table.size)) ? Math.round(SMALL_SHARES[2] * table.size) : undefined;
  const report: SpaceReport = {
    id,
    studyFile: rel(space.file),
    spaceSize: table.size,
    counts,
    frontSize: truth.points.length,
    objectives: table.objectives,
    trueHypervolume: truth.hypervolume,
    truthNote: note,
    ...(referenceNote ? { referenceNote } : {}),
    searchers: searcherStamp() === stampBefore ? stampBefore : `${stampBefore}, which changed while the runs went on (now ${searcherStamp()}): rerun`,
    budgetRule: args.quick ? `quick run, ${budgets.map((b) => b.toLocaleString('en-US')).join(' and ')} evaluations` : space.budgetRule,
    batchSize: study.spec.search.batchSize,
    seeds,
    cells,
    ...(targetBudget !== undefined ? { targetBudget } : {}),
    quick: args.quick,
  };
  const image = `img/search-quality-${id}.svg`;
  if (writeDocs) {
    mkdirSync(join(root, 'docs', 'img'), { recursive: true });
    writeFileSync(
      join(root, 'docs', image),
      hvRatioPlotSvg(cells, {
        title: `${id} space (${table.size.toLocaleString('en-US')} designs): HV ratio over ${seeds.length} seeds`,
        ...(id === 'small' ? { target: { value: 0.98, label: 'target 0.98' } } : {}),
      }),
    );
  }
  const section = renderSpaceSection(report, writeDocs ? image : undefined);
  sections.set(id, section);
  process.stdout.write(`\n${section.replace(/<!--.*-->\n?/g, '')}\n`);
  log(`[${id}] searcher runs took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (writeDocs) {
  const docFile = join(root, 'docs', 'search-quality.md');
  const previous = existsSync(docFile) ? parseSections(readFileSync(docFile, 'utf8')) : new Map<string, string>();
  for (const [k, v] of sections) previous.set(k, v);
  const doc = renderDocument(previous, 'npm run bench:search');
  writeFileSync(docFile, doc);
  const cross = /## Multi-agent RL against NSGA-II[\s\S]*?(?=\n<!-- begin)/.exec(doc);
  if (cross) process.stdout.write(`\n${cross[0].trim()}\n`);
  log(`wrote docs/search-quality.md and docs/img/search-quality-*.svg`);
}
