import { z } from 'zod';
import { deriveSeed, Prng } from '../core/prng.ts';
import type { Design, Trial } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import { ActionBins } from './action-bins.ts';
import { DesignPicker } from './design-picker.ts';
import { islandBudget } from './island.ts';
import { paretoRankUtilities } from './pareto-utility.ts';
import { ScalarizedReward } from './scalarized-reward.ts';
import type { Searcher, SearcherOptions } from './searcher.ts';
import { SoftmaxPolicy } from './softmax-policy.ts';
import { Space } from './space.ts';
import { usableObjectives, violationOf } from './trial-outcome.ts';

export const marlSettingsSchema = z.strictObject({
  /** Step size of the policy-gradient update (on rank-based, standardised advantages). */
  learningRate: z.number().gt(0).default(3),
  /** Weight of the entropy bonus that keeps the policies from collapsing early. */
  entropyWeight: z.number().min(0).default(0.05),
  /** Episodes (most recent first) replayed in each update, with importance weights. */
  replaySize: z.number().int().min(1).default(256),
  /** Passes over the replayed episodes after each told batch. */
  updatesPerBatch: z.number().int().min(1).default(4),
  /** Upper clip of the importance weight pi_now / pi_behaviour of a replayed action. */
  maxImportanceWeight: z.number().gt(0).default(2),
  /** Augmentation term of the Chebyshev scalarisation (the tie-break inside a Pareto front). */
  chebyshevRho: z.number().min(0).default(0.05),
  /** How objectives are normalised for the Chebyshev tie-break: log (positive objectives) or linear. */
  objectiveScale: z.enum(['log', 'linear']).default('log'),
  /** Policy re-samples of an already-asked or inadmissible design before taking the nearest free one. */
  maxResamples: z.number().int().min(0).default(8),
  /** Most actions of one agent: an ordinal parameter with more values acts on this many bins of neighbouring values. */
  maxActions: z.number().int().min(2).default(64),
});
export type MarlSettings = z.infer<typeof marlSettingsSchema>;

interface Episode {
  v: number[];
  /** Objective weights the agents observed; drawn at tell time if the objective count was unknown when asked. */
  weights: number[] | undefined;
  /** Probability each agent gave its action (its bin) when the design was asked (behaviour policy), for importance weights. */
  behaviour: number[];
}

interface Experience extends Episode {
  weights: number[];
  objectives: number[] | undefined;
  violation: number;
}

/**
 * Multi-agent reinforcement learning, after Krishnan et al. 2022: one agent per design
 * parameter, each a softmax policy over that parameter's values; the agents act together to
 * form one design per episode and all receive the same reward (fully cooperative independent
 * learners, each updating only its own policy).
 *
 * Multi-objective: each episode draws a weight vector w uniformly from the simplex
 * (Dirichlet(1)); the agents observe it (their logits are linear in [1, w]: a contextual
 * policy, so one set of agents can learn where on the front each trade-off lies).
 *
 * Reward and learning (after each told batch): the last `replaySize` episodes are ranked
 * against each other (paretoRankUtilities: Pareto front first, inside a front by the augmented
 * Chebyshev value under the episode's own w, then infeasible by violation, failed last) and
 * their centred, standardised rank utilities are the advantages (the mean is the baseline).
 * Each agent then takes `updatesPerBatch` passes of REINFORCE steps with an entropy bonus
 * (SoftmaxPolicy.update) over the replayed episodes, each step weighted by the clipped
 * importance ratio pi_now(a) / pi_behaviour(a) of its own action (older episodes were drawn by
 * older policies). The first batch, asked before any outcome is known, is uniform (exploration).
 * Why: one step per trial from a raw scalarised reward against a moving baseline learned too
 * little from a few hundred trials (docs/SEARCH.md has the numbers).
 *
 * A design already asked (or inadmissible) is never asked again: the agents re-sample up to
 * `maxResamples` times, then the nearest free design to the last sample is taken (and is what
 * the agents learn from, as if they had chosen it).
 *
 * An agent's action is one of its parameter's values, or for an ordinal parameter with more
 * than `maxActions` values a bin of neighbouring values (search/action-bins.ts), so an agent
 * costs O(min(values, maxActions)) per action and per learning step, whatever the space size.
 */
export class Marl implements Searcher {
  readonly name = 'marl';
  private readonly space: Space;
  private readonly bins: ActionBins[];
  private readonly picker: DesignPicker;
  private readonly prng: Prng;
  private readonly weightPrng: Prng;
  private readonly budget: number;
  private readonly settings: MarlSettings;
  private readonly reward: ScalarizedReward;
  private agents: SoftmaxPolicy[] | undefined;
  private objectiveCount: number | undefined;
  private readonly episodes = new Map<number | string, Episode>();
  /** Told episodes, oldest first (only the last replaySize are kept). */
  private readonly experience: Experience[] = [];
  private asked = 0;
  private exhausted = false;

  constructor(options: SearcherOptions, space?: Space) {
    this.space = space ?? new Space(options.parameters, options.fixed);
    this.picker = new DesignPicker(this.space, options.isAdmissible, deriveSeed(options.seed, 'marl'));
    this.prng = new Prng(deriveSeed(options.seed, 'marl-actions'));
    this.weightPrng = new Prng(deriveSeed(options.seed, 'marl-weights'));
    this.budget = islandBudget(options);
    this.settings = validate(marlSettingsSchema, options.settings ?? {}, { pathPrefix: 'search.options' });
    this.reward = new ScalarizedReward(this.settings.chebyshevRho, this.settings.objectiveScale);
    // Categorical values have no neighbours to share a bin with: every one stays an action.
    this.bins = this.space.radices.map((r, j) => new ActionBins(r, this.space.ordinal[j] ? this.settings.maxActions : r));
  }

  ask(n: number): Design[] {
    const out: Design[] = [];
    while (out.length < n && this.asked < this.budget && !this.exhausted) {
      const weights = this.objectiveCount === undefined ? undefined : this.drawWeights(this.objectiveCount);
      const v = this.act(weights);
      if (!v) {
        this.exhausted = true;
        break;
      }
      this.episodes.set(this.space.keyOf(v), { v, weights, behaviour: this.actionProbabilities(v, weights) });
      out.push(this.picker.claim(v));
      this.asked++;
    }
    return out;
  }

  tell(trials: Trial[]): void {
    let learned = false;
    for (const t of trials) {
      const v = this.space.vectorOf(t.design);
      if (!v) continue;
      const key = this.space.keyOf(v);
      const episode = this.episodes.get(key) ?? { v, weights: undefined, behaviour: this.actionProbabilities(v, undefined) };
      this.episodes.delete(key);
      const objectives = usableObjectives(t);
      if (objectives && this.objectiveCount === undefined) this.objectiveCount = objectives.length;
      if (this.objectiveCount === undefined) continue; // nothing to learn until a trial shows the objectives
      const weights = episode.weights ?? this.drawWeights(this.objectiveCount);
      const violation = objectives ? violationOf(t) : Infinity;
      if (objectives && violation === 0) this.reward.observe(objectives);
      this.experience.push({ ...episode, weights, objectives, violation });
      learned = true;
    }
    while (this.experience.length > this.settings.replaySize) this.experience.shift();
    if (learned) this.learn();
  }

  /** The agents' policies (one per parameter), for inspection and tests; undefined before learning starts. */
  get policies(): readonly SoftmaxPolicy[] | undefined {
    return this.agents;
  }

  /** Each agent samples its parameter's value; duplicates are re-sampled, then replaced by the nearest free design. */
  private act(weights: number[] | undefined): number[] | undefined {
    const context = weights ? [1, ...weights] : undefined;
    let v: number[] = [];
    for (let attempt = 0; attempt <= this.settings.maxResamples; attempt++) {
      v = this.space.radices.map((r, j) => (this.agents && context ? this.bins[j]!.valueIn(this.agents[j]!.sample(context, this.prng), this.prng) : this.prng.int(r)));
      if (this.picker.isFree(v)) return v;
    }
    return this.picker.nearestFree(v);
  }

  /**
   * Probability each agent's current policy gives the bin of v[j] (uniform over values before
   * learning starts: the bin's share of them). The uniform draw inside a bin is the same under
   * every policy, so it cancels in the importance ratio and is left out.
   */
  private actionProbabilities(v: readonly number[], weights: number[] | undefined): number[] {
    const context = weights ? [1, ...weights] : undefined;
    return this.bins.map((bins, j) => {
      const b = bins.binOf(v[j]!);
      return this.agents && context ? this.agents[j]!.probabilities(context)[b]! : bins.sizeOf(b) / bins.values;
    });
  }

  /**
   * Policy-gradient update after a told batch: every replayed episode's advantage is its
   * rank-based utility among the replayed episodes (paretoRankUtilities: Pareto front first,
   * the Chebyshev value under the episode's own weights breaking ties inside a front), and each
   * agent takes a REINFORCE step on its own action, weighted by the clipped importance ratio of
   * its current to its behaviour probability (the replayed actions were drawn by older policies).
   */
  private learn(): void {
    const m = this.objectiveCount!;
    this.agents ??= this.bins.map((bins) => new SoftmaxPolicy(bins.count, m + 1));
    const replay = this.experience;
    const utilities = paretoRankUtilities(
      replay.map((e) => ({
        objectives: e.objectives,
        violation: e.violation,
        tieBreak: e.objectives && e.violation === 0 ? -this.reward.feasible(e.objectives, e.weights) : 0,
      })),
    );
    const step = this.settings.learningRate / replay.length;
    const clip = this.settings.maxImportanceWeight;
    for (let pass = 0; pass < this.settings.updatesPerBatch; pass++) {
      replay.forEach((e, i) => {
        const context = [1, ...e.weights];
        this.agents!.forEach((agent, j) => {
          const action = this.bins[j]!.binOf(e.v[j]!);
          const p = agent.probabilities(context);
          const ratio = Math.min(clip, p[action]! / Math.max(1e-12, e.behaviour[j]!));
          agent.update(context, action, utilities[i]! * ratio, step, this.settings.entropyWeight, p);
        });
      });
    }
  }

  /** A weight vector uniform on the simplex (normalised exponentials = Dirichlet(1, ..., 1)). */
  private drawWeights(m: number): number[] {
    const e = Array.from({ length: m }, () => -Math.log(1 - this.weightPrng.next()));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  }
}

export function marl(options: SearcherOptions): Searcher {
  return new Marl(options);
}
