import { z } from 'zod';
import { DseError } from '../core/errors.ts';
import { deriveSeed, Prng } from '../core/prng.ts';
import type { Design, Trial } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import { crowdingDistance, nondominatedSort } from '../results/dominance.ts';
import { DesignPicker } from './design-picker.ts';
import { grid } from './grid.ts';
import { islandBudget } from './island.ts';
import { marl } from './marl.ts';
import { nsga2 } from './nsga2.ts';
import { random } from './random.ts';
import { discreteData, RegressionForest } from './regression-tree.ts';
import type { Searcher, SearcherFactory, SearcherOptions } from './searcher.ts';
import { Space } from './space.ts';
import { usableObjectives } from './trial-outcome.ts';

/**
 * Searchers that can generate the candidate pool: every registered searcher but surrogate
 * itself (search/registry.ts imports this module, so they are imported directly here; a test
 * checks the two lists agree).
 */
const GENERATORS: Readonly<Record<string, SearcherFactory>> = Object.freeze({ random, grid, nsga2, marl });
export const SURROGATE_GENERATORS: readonly string[] = Object.freeze(Object.keys(GENERATORS));

export const surrogateSettingsSchema = z.strictObject({
  /** Where candidates come from: the name of another searcher (SURROGATE_GENERATORS). */
  generator: z.string().default('random'),
  /** Candidates predicted per batch. */
  poolSize: z.number().int().min(1).default(2000),
  /** Share of each batch drawn at random from the pool instead of by prediction. */
  exploreFraction: z.number().min(0).max(1).default(0.2),
  /** Random designs evaluated before the first model. Default max(16, 2 x (parameters + 1)). */
  initialDesigns: z.number().int().min(1).optional(),
  /** Trees per forest (one forest per objective, one for feasibility). */
  trees: z.number().int().min(1).default(8),
  maxDepth: z.number().int().min(1).default(12),
  minLeaf: z.number().int().min(1).default(2),
  /** Newest trials used for fitting (bounds the per-batch cost on long runs). */
  maxTrainRows: z.number().int().min(10).default(5000),
});
export type SurrogateSettings = z.infer<typeof surrogateSettingsSchema>;

interface Known {
  v: number[];
  objectives: number[] | undefined;
  feasible: boolean;
}

export interface Candidate {
  v: number[];
  predicted: number[];
  feasibleProbability: number;
}

/**
 * Surrogate-assisted search: regression forests (search/regression-tree.ts) learn each
 * objective, and the probability of feasibility, from the trials so far. Each batch, a pool of
 * candidates from a generator is predicted; the batch is filled with the predicted
 * non-dominated candidates among those predicted feasible (front by front, the last front cut by
 * predicted crowding distance), plus an exploration share drawn at random from the rest of the pool.
 *
 * Generators (`generator`, any other registered searcher): `random` draws a fresh random sample
 * of unasked designs per batch; any other (`grid`, `nsga2`, `marl`) runs as one inner searcher,
 * admissible = not yet asked, asked for the pool each batch and told the real outcomes of the
 * evaluated candidates and the predicted outcomes of the others (so an adaptive one evolves on
 * the model between real evaluations; grid walks its order, skipping asked designs). For nsga2
 * the population is the pool. Objectives that are always positive are modelled in log space.
 */
export class Surrogate implements Searcher {
  readonly name = 'surrogate';
  private readonly options: SearcherOptions;
  private readonly space: Space;
  private readonly picker: DesignPicker;
  private readonly prng: Prng;
  private readonly budget: number;
  private readonly settings: SurrogateSettings;
  private readonly initialDesigns: number;
  private readonly known: Known[] = [];
  private readonly inner: Searcher | undefined;
  /** Pool members handed out by the inner NSGA-II and not yet told back to it, with their predictions. */
  private innerPending = new Map<number | string, Trial>();
  private batch = 0;
  private asked = 0;
  private exhausted = false;

  constructor(options: SearcherOptions) {
    this.options = options;
    this.space = new Space(options.parameters, options.fixed);
    this.picker = new DesignPicker(this.space, options.isAdmissible, deriveSeed(options.seed, 'surrogate'));
    this.prng = new Prng(deriveSeed(options.seed, 'surrogate-explore'));
    this.budget = islandBudget(options);
    this.settings = validate(surrogateSettingsSchema, options.settings ?? {}, { pathPrefix: 'search.options' });
    this.initialDesigns = this.settings.initialDesigns ?? Math.max(16, 2 * (this.space.dimensions + 1));
    const generator = this.settings.generator;
    if (!Object.hasOwn(GENERATORS, generator)) {
      throw new DseError('invalid_field', `unknown surrogate generator '${generator}'; expected one of ${SURROGATE_GENERATORS.join(', ')}`, {
        path: 'search.options.generator',
      });
    }
    // `random` draws a fresh sample per batch (candidatePool); the others run as one inner searcher.
    if (generator !== 'random') {
      this.inner = GENERATORS[generator]!({
        parameters: options.parameters,
        fixed: options.fixed,
        seed: deriveSeed(options.seed, `surrogate-${generator}`),
        budget: Number.MAX_SAFE_INTEGER,
        isAdmissible: (d) => this.isFreeDesign(d),
        settings: generator === 'nsga2' ? { populationSize: Math.max(4, this.settings.poolSize) } : {},
      });
    }
  }

  ask(n: number): Design[] {
    const take = Math.min(n, this.budget - this.asked);
    if (take <= 0 || this.exhausted) return [];
    const modelled = this.known.filter((k) => k.objectives).length;
    // Random designs until `initialDesigns` were asked and at least two trials gave objectives to learn from.
    const chosen =
      this.asked < this.initialDesigns
        ? this.freshDesigns(Math.min(take, this.initialDesigns - this.asked))
        : modelled < 2
          ? this.freshDesigns(take)
          : this.modelBatch(take);
    if (chosen.length === 0) this.exhausted = true;
    this.asked += chosen.length;
    return chosen.map((v) => this.picker.claim(v));
  }

  tell(trials: Trial[]): void {
    for (const t of trials) {
      const v = this.space.vectorOf(t.design);
      if (!v) continue;
      this.known.push({ v, objectives: usableObjectives(t), feasible: t.status === 'ok' && usableObjectives(t) !== undefined });
      const key = this.space.keyOf(v);
      if (this.innerPending.has(key)) this.innerPending.set(key, t);
    }
    if (this.inner && this.innerPending.size > 0) {
      this.inner.tell([...this.innerPending.values()]);
      this.innerPending.clear();
    }
  }

  private freshDesigns(count: number): number[][] {
    const out: number[][] = [];
    while (out.length < count) {
      const v = this.picker.fresh();
      if (!v) break;
      // fresh() offers the same design until it is claimed, so claim as we go (ask claims again: a set).
      this.picker.claim(v);
      out.push(v);
    }
    return out;
  }

  private modelBatch(take: number): number[][] {
    this.batch++;
    const pool = this.candidatePool();
    if (pool.length === 0) return this.freshDesigns(take);
    const candidates = this.predict(pool);
    const explore = Math.min(candidates.length, Math.round(take * this.settings.exploreFraction));
    const exploit = Math.min(candidates.length, take - explore);
    const chosen = selectPredictedFront(candidates, exploit);
    const chosenKeys = new Set(chosen.map((c) => this.space.keyOf(c.v)));
    const rest = candidates.filter((c) => !chosenKeys.has(this.space.keyOf(c.v)));
    this.prng.shuffle(rest);
    const out = [...chosen, ...rest.slice(0, Math.min(rest.length, take - chosen.length))].map((c) => c.v);
    if (this.inner) {
      for (const c of candidates) {
        const trial: Trial = {
          seq: -1,
          hash: '',
          design: this.space.designOf(c.v),
          status: c.feasibleProbability >= 0.5 ? 'ok' : 'infeasible',
          objectives: c.predicted,
          ...(c.feasibleProbability >= 0.5 ? {} : { violations: [{ name: 'predicted feasibility', value: c.feasibleProbability, limit: 0.5, kind: 'min' as const }] }),
        };
        this.innerPending.set(this.space.keyOf(c.v), trial);
      }
    }
    return out;
  }

  private candidatePool(): number[][] {
    const size = this.settings.poolSize;
    const designs = this.inner
      ? this.inner.ask(size)
      : random({
          parameters: this.options.parameters,
          fixed: this.options.fixed,
          seed: deriveSeed(this.options.seed, 'surrogate-pool', this.batch),
          budget: size,
          isAdmissible: (d) => this.isFreeDesign(d),
        }).ask(size);
    return designs.map((d) => this.space.vectorOf(d)!).filter((v) => this.picker.isFree(v));
  }

  private isFreeDesign(d: Design): boolean {
    const v = this.space.vectorOf(d);
    return v !== undefined && this.picker.isFree(v);
  }

  /** Fits the forests on the newest trials and predicts every candidate. */
  private predict(pool: number[][]): Candidate[] {
    const rows = this.known.slice(-this.settings.maxTrainRows);
    const withObjectives = rows.filter((k) => k.objectives);
    const m = withObjectives[0]!.objectives!.length;
    const forestOptions = { trees: this.settings.trees, maxDepth: this.settings.maxDepth, minLeaf: this.settings.minLeaf };
    const X = withObjectives.map((k) => k.v);
    const categorical = this.space.ordinal.map((o) => !o);
    const models: RegressionForest[] = [];
    for (let i = 0; i < m; i++) {
      const values = withObjectives.map((k) => k.objectives![i]!);
      const useLog = values.every((x) => x > 0);
      const data = discreteData(X, useLog ? values.map(Math.log) : values, this.space.radices, categorical);
      models.push(RegressionForest.fit(data, forestOptions, deriveSeed(this.options.seed, 'surrogate-forest', this.batch, i)));
    }
    // Feasibility is modelled only once some trial was infeasible or failed.
    const anyBad = rows.some((k) => !k.feasible);
    const feasibility = anyBad
      ? RegressionForest.fit(
          discreteData(rows.map((k) => k.v), rows.map((k) => (k.feasible ? 1 : 0)), this.space.radices, categorical),
          forestOptions,
          deriveSeed(this.options.seed, 'surrogate-feasibility', this.batch),
        )
      : undefined;
    return pool.map((v) => ({
      v,
      // Predictions stay in the modelled (possibly log) space: ranking by dominance is unchanged by monotone maps.
      predicted: models.map((f) => f.predict(v)),
      feasibleProbability: feasibility ? feasibility.predict(v) : 1,
    }));
  }
}

/**
 * The `count` most promising candidates: those predicted feasible (probability >= 0.5; if
 * none, the most likely feasible), by non-dominated front of the predictions, the last front
 * cut by crowding distance (ties by pool order).
 */
export function selectPredictedFront(candidates: readonly Candidate[], count: number): Candidate[] {
  if (count <= 0) return [];
  let eligible = candidates.filter((c) => c.feasibleProbability >= 0.5);
  if (eligible.length === 0) {
    eligible = [...candidates].sort((a, b) => b.feasibleProbability - a.feasibleProbability).slice(0, count);
  }
  const points = eligible.map((c) => c.predicted);
  const out: Candidate[] = [];
  for (const front of nondominatedSort(points)) {
    if (out.length >= count) break;
    if (out.length + front.length <= count) {
      for (const i of front) out.push(eligible[i]!);
      continue;
    }
    const dist = crowdingDistance(points, front);
    const order = front.map((i, k) => ({ i, d: dist[k]! })).sort((a, b) => (b.d > a.d ? 1 : b.d < a.d ? -1 : a.i - b.i));
    for (const o of order) {
      if (out.length >= count) break;
      out.push(eligible[o.i]!);
    }
  }
  return out;
}

export function surrogate(options: SearcherOptions): Searcher {
  return new Surrogate(options);
}
