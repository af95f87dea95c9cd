import { makeDirectory, writeWholeFile } from '../core/write-file.ts';
import { basename, dirname, join, resolve } from 'node:path';
import { DseError, isDseError } from '../core/errors.ts';
import type { TrafficPlan, Workload, WorkloadMetrics } from '../models/types.ts';
import { buildReportModel, chooseDesign, combineRuns, readReferenceFront } from '../results/report/build-model.ts';
import type { AnatomyInfo, AnatomyWorkload, ReportDesign, ReportModel } from '../results/report/model.ts';
import { scanRun, type RunScan } from '../results/report/run-scan.ts';
import { headerProblemHash } from '../results/problem-hash.ts';
import { toolVersion } from './version.ts';
import { journalTrialCheck } from './journal-trust.ts';

/**
 * Reports of study runs (`dse report`, and report.html at the end of `dse run`). Reading the
 * runs and drawing the report live in results/report/; this file adds what results/ may not
 * do: re-evaluating the chosen design with the cost model to show its per-layer anatomy.
 */

export type ReportFormat = 'html' | 'md' | 'ipynb';

export interface ReportOptions {
  runDirs: string[];
  /** Output file; default `<run-dir>/report.<ext>` for one run, `report.<ext>` in `cwd` for several. */
  out?: string;
  format?: ReportFormat;
  /** Front design to dissect: hash (or a unique prefix) or seq; default the knee. */
  design?: string;
  /** A reference front file (front.json of another run, or a list of objective vectors). */
  reference?: string;
  cwd?: string;
}

const EXTENSIONS: Record<ReportFormat, string> = { html: 'html', md: 'md', ipynb: 'ipynb' };

/** The output format a file name implies, if any. */
export function formatOfFile(file: string): ReportFormat | undefined {
  if (/\.html?$/i.test(file)) return 'html';
  if (/\.(md|markdown)$/i.test(file)) return 'md';
  if (/\.ipynb$/i.test(file)) return 'ipynb';
  return undefined;
}

/** Builds the report model of one or more runs of one problem (anatomy included when the cost model can evaluate the design). */
export async function buildRunReportModel(opts: Pick<ReportOptions, 'runDirs' | 'design' | 'reference'>): Promise<ReportModel> {
  const scans = scanRuns(opts.runDirs);
  return modelOfScans(scans, opts, opts.design);
}

/**
 * Every run's journal, each line checked as resume and merge check it: a forged, edited or
 * pasted line would otherwise change the front a report shows. A bad line refuses the report
 * (exit 2 naming the file and line); lines that do not read as trials at all are left out and
 * counted in the report (journal-skim.ts).
 */
function scanRuns(runDirs: string[]): RunScan[] {
  return runDirs.map((d, i) => scanRun(d, i, { check: journalTrialCheck }));
}

async function modelOfScans(scans: RunScan[], opts: Pick<ReportOptions, 'reference'>, design: string | undefined): Promise<ReportModel> {
  const combined = combineRuns(scans);
  const chosen = chooseDesign(combined, design);
  const anatomy = chosen ? await anatomyOf(scans[0]!.header.study, chosen.design, chosen.reason) : null;
  const reference = opts.reference ? readReferenceFront(opts.reference, combined.objectives) : null;
  return buildReportModel(scans, combined, { anatomy, reference, generatedBy: `accel-dse ${toolVersion()}` });
}

/**
 * The report models of runs that may solve different problems: one per problem (runs grouped
 * by problem hash, in the order given), each with its runs numbered from 0. `--design` picks
 * the design in each problem whose front has it, the knee elsewhere.
 */
export async function buildRunReportModels(opts: Pick<ReportOptions, 'runDirs' | 'design' | 'reference'>): Promise<ReportModel[]> {
  const scans = scanRuns(opts.runDirs);
  const groups = new Map<string, RunScan[]>();
  for (const s of scans) {
    const key = headerProblemHash(s.header);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  if (groups.size === 1) return [await modelOfScans(scans, opts, opts.design)];
  const models: ReportModel[] = [];
  for (const group of groups.values()) {
    group.forEach((s, k) => renumberRun(s, k));
    const onThisFront = opts.design !== undefined && (() => {
      try {
        return chooseDesign(combineRuns(group), opts.design) !== null;
      } catch {
        return false;
      }
    })();
    models.push(await modelOfScans(group, opts, onThisFront ? opts.design : undefined));
  }
  if (opts.design !== undefined && !models.some((m) => m.anatomy?.reason.includes('--design'))) {
    throw new DseError('design_not_on_front', `no front design of any of these problems has hash or seq ${opts.design}`, { path: '--design' });
  }
  return models;
}

/** Gives a scanned run another index (its position within its problem's runs). */
function renumberRun(s: RunScan, run: number): void {
  s.run = run;
  for (const d of s.front) d.run = run;
  for (const t of s.feasibleSample) t.run = run;
  for (const t of s.infeasibleSample) t.run = run;
}

/** Renders a model in a format; `outFile` is where it will be written (the notebook names the runs relative to it). */
export async function renderReport(modelOrModels: ReportModel | ReportModel[], format: ReportFormat, outFile?: string): Promise<string> {
  const models = Array.isArray(modelOrModels) ? modelOrModels : [modelOrModels];
  const model = models[0]!;
  if (format === 'html') return (await import('../results/report/html.ts')).renderHtml(models);
  if (format === 'md') {
    const { renderMarkdown } = await import('../results/report/markdown.ts');
    if (!outFile) return renderMarkdown(models);
    const { markdownFigures } = await import('../results/report/markdown-figures.ts');
    const figures = markdownFigures(models);
    const figureDir = figureDirOf(outFile);
    writeFiguresDir(join(dirname(outFile), figureDir), figures);
    return renderMarkdown(models, { figureDir, figures });
  }
  if (models.length > 1) {
    throw new DseError(
      'report_different_problems',
      `these runs solve ${models.length} different problems (${models.map((m) => `study '${m.title}'`).join(', ')}); a notebook holds runs of one problem: write one notebook per problem, or an HTML or Markdown report (a part per problem)`,
      { path: '--format' },
    );
  }
  return (await import('../results/report/ipynb.ts')).renderNotebook(model, outFile ? { notebookDir: dirname(outFile) } : {});
}

/** The folder of a Markdown report's figures, next to it: `report.md` -> `report-figures`. */
function figureDirOf(outFile: string): string {
  return `${basename(outFile).replace(/\.(md|markdown)$/i, '')}-figures`;
}

/** Writes the SVGs (each whole, then renamed) into `dir`, made if missing. */
function writeFiguresDir(dir: string, figures: { file: string; svg: string }[]): void {
  makeDirectory(dir);
  for (const f of figures) writeWholeFile(join(dir, f.file), f.svg);
}

/** Writes a report and returns the path written. */
export async function writeReport(opts: ReportOptions): Promise<string> {
  if (opts.runDirs.length === 0) throw new DseError('no_runs', 'name at least one run directory');
  const format = opts.format ?? (opts.out ? formatOfFile(opts.out) : undefined) ?? 'html';
  const out = resolve(
    opts.cwd ?? process.cwd(),
    opts.out ?? (opts.runDirs.length === 1 ? join(opts.runDirs[0]!, `report.${EXTENSIONS[format]}`) : `report.${EXTENSIONS[format]}`),
  );
  const models = await buildRunReportModels(opts);
  const text = await renderReport(models, format, out);
  // Written whole, then renamed, so a reader never sees half a report.
  writeWholeFile(out, text);
  return out;
}

/** Writes `<runDir>/report.html` (called by `dse run` when a run ends); returns its path. */
export async function writeRunReport(runDir: string): Promise<string> {
  return writeReport({ runDirs: [runDir], format: 'html', out: join(runDir, 'report.html') });
}

/**
 * The chosen design re-evaluated layer by layer, by the library's `evaluate` (the path the
 * run's workers took: the study's fixed values overlaid with the design, each workload
 * scheduled by the design's fusion policy, mixed-precision bitwidths when the study asks for
 * them). A failure (e.g. a workload file moved since the run) is reported in the section
 * instead of failing the whole report.
 */
async function anatomyOf(study: unknown, design: ReportDesign, reason: string): Promise<AnatomyInfo> {
  try {
    const { studyFromSpec } = await import('./load-study.ts');
    const { evaluate } = await import('./evaluate.ts');
    const evaluation = await evaluate(studyFromSpec(study), design.design);
    if (evaluation.status === 'failed' || !evaluation.workloads) throw new Error(evaluation.error ?? 'the design could not be evaluated');
    const workloads: AnatomyWorkload[] = evaluation.workloads.map((w) => anatomyWorkloadOf(w.metrics, w.workload, w.plan));
    return { reason, design, workloads, error: null };
  } catch (e) {
    const message = isDseError(e) ? e.toLine() : e instanceof Error ? e.message : String(e);
    return { reason, design, workloads: [], error: message };
  }
}

function anatomyWorkloadOf(m: WorkloadMetrics, workload: Workload, plan: TrafficPlan | undefined): AnatomyWorkload {
  return {
    workload: m.workload,
    latencyS: m.latencyS,
    energyPJ: m.energyPJ,
    dramBytes: m.dramBytes,
    utilization: m.utilization,
    layers: m.layers.map((l) => ({
      name: l.name,
      kind: l.kind,
      macs: l.macs,
      computeCycles: l.computeCycles,
      stallCycles: l.stallCycles,
      latencyCycles: l.latencyCycles,
      utilization: l.utilization,
      bound: l.bound,
      energyBreakdownPJ: { ...l.energyBreakdownPJ },
      dramReadBytes: l.dramReadBytes,
      dramWriteBytes: l.dramWriteBytes,
    })),
    fusionGroups: fusionGroupsOf(m, workload, plan),
  };
}

/**
 * Fusion groups: taken from the metrics when they carry `fusionGroups`; otherwise derived from
 * the traffic plan, joining a consumer with the producer of every input it reads on chip.
 * Only groups of two or more layers are listed; null when the design runs layer by layer.
 */
function fusionGroupsOf(m: WorkloadMetrics, workload: Workload, plan: TrafficPlan | undefined): string[][] | null {
  const carried = (m as unknown as { fusionGroups?: unknown }).fusionGroups;
  if (Array.isArray(carried) && carried.every((g) => Array.isArray(g) && g.every((x) => typeof x === 'string'))) {
    return (carried as string[][]).filter((g) => g.length > 1);
  }
  if (!plan) return null;
  const producer = new Map(workload.ops.map((op) => [op.output, op.name]));
  const parent = new Map(workload.ops.map((op) => [op.name, op.name]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const [consumer, inputs] of Object.entries(plan.onChipReads)) {
    for (const t of inputs) {
      const p = producer.get(t);
      if (p !== undefined && parent.has(consumer)) parent.set(find(consumer), find(p));
    }
  }
  const groups = new Map<string, string[]>();
  for (const op of workload.ops) {
    const r = find(op.name);
    groups.set(r, [...(groups.get(r) ?? []), op.name]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
