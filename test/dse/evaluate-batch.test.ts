import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Design, Trial } from '../../core/types.ts';
import { evaluateToBatch } from '../../dse/evaluate-batch.ts';
import { createEvalContext, evaluateDesignDetail, type EvalContext } from '../../dse/evaluate-design.ts';
import { loadStudy, studyFromObject, type Study } from '../../dse/load-study.ts';
import { batchTrials, STATUSES } from '../../dse/trial-batch.ts';
import { createSearcher } from '../../search/registry.ts';

/**
 * The workers' per-trial path (evaluateToBatch: totals only, journal lines written from the
 * metric vector) against the library's detailed evaluation (evaluateDesignDetail: every
 * workload layer by layer, the Trial built as an object and serialised by JSON.stringify).
 * They must agree byte for byte on every line, and the detail's layers must add up to the
 * per-workload metrics the trial records.
 */

const config = (name: string): string => fileURLToPath(new URL(`../../configs/${name}`, import.meta.url));

function randomDesigns(study: Study, n: number, seed: number): Design[] {
  return createSearcher('random', { parameters: study.parameters, fixed: study.fixed, seed, budget: n }).ask(n);
}

async function assertSamePath(study: Study, designs: Design[]): Promise<Trial[]> {
  const ctx = createEvalContext(study.spec);
  const batch = await evaluateToBatch(ctx, designs, (i) => 1000 + i);
  const lines = new TextDecoder().decode(batch.lines).split('\n');
  assert.equal(lines.pop(), '', 'every line ends in a line break');
  const trials = batchTrials(batch);
  const k = study.objectives.length;
  for (let i = 0; i < designs.length; i++) {
    const { workloads, ...outcome } = await evaluateDesignDetail(ctx, designs[i]!);
    const detailed: Trial = { seq: 1000 + i, ...outcome };
    assert.equal(lines[i], JSON.stringify(detailed), `${study.spec.name}: design ${JSON.stringify(designs[i])}`);
    assert.deepEqual(trials[i], detailed);
    assert.equal(STATUSES[batch.status[i]!], detailed.status);
    assert.deepEqual(Array.from(batch.objectives.subarray(i * k, (i + 1) * k)), detailed.objectives ?? new Array(k).fill(NaN));
    if (outcome.status !== 'failed') assertLayersAddUp(ctx, outcome.metrics!, workloads!);
  }
  return trials;
}

/** Each workload's layers, added in order, give the `<metric>@<label>` values of the trial. */
function assertLayersAddUp(ctx: EvalContext, metrics: Record<string, number>, workloads: NonNullable<Awaited<ReturnType<typeof evaluateDesignDetail>>['workloads']>): void {
  assert.equal(workloads.length, ctx.workloads.length);
  for (const w of workloads) {
    assert.ok(w.metrics.layers.length > 0, 'the detail is layer by layer');
    let latencyCycles = 0;
    let dramBytes = 0;
    let macs = 0;
    let energyPJ = 0;
    for (const l of w.metrics.layers) {
      latencyCycles += l.latencyCycles;
      dramBytes += l.dramReadBytes + l.dramWriteBytes;
      macs += l.macs;
      energyPJ += l.energyPJ;
    }
    assert.equal(metrics[`latencyCycles@${w.label}`], latencyCycles);
    assert.equal(metrics[`dramBytes@${w.label}`], dramBytes);
    assert.equal(metrics[`macs@${w.label}`], macs);
    // Totals add energy by component, not layer by layer: the same sum up to rounding.
    const energy = metrics[`energyPJ@${w.label}`]!;
    assert.ok(Math.abs(energy - energyPJ) <= 1e-12 * energyPJ, `energy ${energy} vs layers ${energyPJ}`);
    assert.equal(metrics[`latencyS@${w.label}`], w.metrics.latencyS);
  }
}

test('quickstart and the regression grid: lean and detailed paths give the same trials', async () => {
  for (const [file, n] of [['quickstart.yaml', 40], ['regression/cost-model-grid.yaml', 40]] as const) {
    const study = loadStudy(config(file));
    const trials = await assertSamePath(study, randomDesigns(study, n, 11));
    assert.ok(trials.some((t) => t.status === 'ok'));
  }
});

test('an LLM decode study (tokens, KV cache): lean and detailed paths give the same trials', async () => {
  const study = loadStudy(config('llm-decode.yaml'));
  const trials = await assertSamePath(study, randomDesigns(study, 30, 12));
  assert.ok(trials.every((t) => t.metrics?.['tokensPerS@llama3_8b'] !== undefined));
});

test('fusion schedules and mixed precision over two workloads: the same trials', async () => {
  // A generous solver time limit: a loaded machine must not cut a schedule or bitwidth solve short in one path and not the other.
  const loaded = loadStudy(config('fusion-and-precision.yaml'));
  const study = studyFromObject({ ...loaded.spec, schedule: { ...loaded.spec.schedule, timeLimitS: 120 } });
  const designs = randomDesigns(study, 60, 13).filter((d) => (d.glbKiB as number) >= 1024).slice(0, 3);
  assert.ok(designs.length >= 2);
  await assertSamePath(study, designs);
});

test('an architecture study (mapped layer by layer): the same trials', async () => {
  // The gemmini study's architecture and space on two GEMMs and a few convolutions (mapping ResNet-18 takes seconds).
  const gemmini = loadStudy(config('gemmini-resnet18.yaml'));
  const study = studyFromObject({
    ...gemmini.spec,
    workloads: [{ name: config('workloads/scalesim-sample-gemm.csv'), label: 'gemm' }, { name: config('workloads/scalesim-sample-gemm.csv'), label: 'gemm2', weight: 2 }],
  });
  await assertSamePath(study, randomDesigns(study, 3, 14));
});

test('weighted workloads, per-workload objectives and constraints, failed designs: the same trials', async () => {
  const study = studyFromObject({
    name: 'per-workload',
    workloads: [
      { name: 'resnet18', weight: 3, label: 'vision' },
      { name: 'bert_base', params: { seqLen: 64 }, weight: 2, label: 'bert-64' },
    ],
    aggregate: 'weighted',
    space: { peRows: [4, 8, 16, 32, 64], peCols: [8, 16, 32, 64], glbKiB: [32, 128, 512, 2048], dataflow: ['os', 'ws', 'is'], weightBits: [4, 8] },
    objectives: ['energyPJ', { maximize: 'tokensPerS@bert-64' }, 'latencyS@vision'],
    constraints: { 'latencyS@vision': { max: 0.004 }, areaMM2: { max: 4 }, 'peRows*peCols': { max: 2048 } },
  });
  const designs = [...randomDesigns(study, 60, 15), { peRows: -4 }, { peRows: 8, peRow: 3 }, { glbKiB: 0 }];
  const trials = await assertSamePath(study, designs);
  const statuses = new Set(trials.map((t) => t.status));
  assert.deepEqual([...statuses].sort(), ['failed', 'infeasible', 'ok'], 'every kind of trial is compared');
});
