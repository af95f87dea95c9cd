import { z } from 'zod';
import { deriveSeed, Prng } from '../core/prng.ts';
import type { Design, Trial } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import { DesignPicker } from './design-picker.ts';
import { islandBudget } from './island.ts';
import { ScalarizedReward } from './scalarized-reward.ts';
import type { Searcher, SearcherOptions } from './searcher.ts';
import { SoftmaxPolicy } from './softmax-policy.ts';
import { Space } from './space.ts';
import { usableObjectives, violationOf } from './trial-outcome.ts';

export const marlSettingsSchema = z.strictObject({
  /** Step size of the policy-gradient update (on normalised advantages). */
  learningRate: z.number().gt(0).default(0.3),
  /** Weight of the entropy bonus that keeps the policies from collapsing early. */
  entropyWeight: z.number().min(0).default(0.05),
  /** Decay of the moving-average baseline and of the advantage scale (closer to 1: slower). */
  baselineDecay: z.number().min(0).lt(1).default(0.95),
  /** Augmentation term of the Chebyshev scalarisation. */
  chebyshevRho: z.number().min(0).default(0.05),
  /** How objectives are normalised for the reward: log (positive objectives) or linear. */
  objectiveScale: z.enum(['log', 'linear']).default('log'),
  /** Policy re-samples of an already-asked or inadmissible design before taking the nearest free one. */
  maxResamples: z.number().int().min(0).default(8),
});
export type MarlSettings = z.infer<typeof marlSettingsSchema>;

interface Episode {
  v: number[];
  /** Objective weights the agents observed; drawn at tell time if the objective count was unknown when asked. */
  weights: number[] | undefined;
}

/**
 * Multi-agent reinforcement learning, after Krishnan et al. 2022: one agent per design
 * parameter, each a softmax policy over that parameter's values; the agents act together to
 * form one design per episode and all receive the same reward (fully cooperative independent
 * learners, each updating only its own policy).
 *
 * Multi-objective: each episode draws a weight vector w uniformly from the simplex
 * (Dirichlet(1)); the agents observe it (their logits are linear in [1, w]: a contextual
 * policy, so one set of agents learns where on the front each trade-off lies), and the reward
 * is the augmented Chebyshev scalarisation of the normalised objectives under w
 * (ScalarizedReward). Learning: REINFORCE with a moving-average baseline, advantages divided
 * by a moving standard deviation, and an entropy bonus (SoftmaxPolicy.update), one step per
 * told trial in ask order. Failed and infeasible trials get penalty rewards.
 *
 * A design already asked (or inadmissible) is never asked again: the agents re-sample up to
 * `maxResamples` times, then the nearest free design to the last sample is taken (and is what
 * the agents learn from, as if they had chosen it).
 */
export class Marl implements Searcher {
  readonly name = 'marl';
  private readonly space: Space;
  private readonly picker: DesignPicker;
  private readonly prng: Prng;
  private readonly weightPrng: Prng;
  private readonly budget: number;
  private readonly settings: MarlSettings;
  private readonly reward: ScalarizedReward;
  private agents: SoftmaxPolicy[] | undefined;
  private objectiveCount: number | undefined;
  private readonly episodes = new Map<number | string, Episode>();
  private baseline: number | undefined;
  private rewardVariance = 1;
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
      this.episodes.set(this.space.keyOf(v), { v, weights });
      out.push(this.picker.claim(v));
      this.asked++;
    }
    return out;
  }

  tell(trials: Trial[]): void {
    for (const t of trials) {
      const v = this.space.vectorOf(t.design);
      if (!v) continue;
      const key = this.space.keyOf(v);
      const episode = this.episodes.get(key) ?? { v, weights: undefined };
      this.episodes.delete(key);
      const objectives = usableObjectives(t);
      if (objectives && this.objectiveCount === undefined) this.objectiveCount = objectives.length;
      if (this.objectiveCount === undefined) continue; // nothing to learn until a trial shows the objectives
      const weights = episode.weights ?? this.drawWeights(this.objectiveCount);
      let r: number;
      if (!objectives) r = this.reward.failed();
      else {
        const violation = violationOf(t);
        if (violation > 0) r = this.reward.infeasible(violation);
        else {
          this.reward.observe(objectives);
          r = this.reward.feasible(objectives, weights);
        }
      }
      this.learn(episode.v, weights, r);
    }
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
      v = this.space.radices.map((r, j) => (this.agents && context ? this.agents[j]!.sample(context, this.prng) : this.prng.int(r)));
      if (this.picker.isFree(v)) return v;
    }
    return this.picker.nearestFree(v);
  }

  private learn(v: readonly number[], weights: readonly number[], r: number): void {
    const m = weights.length;
    this.agents ??= this.space.radices.map((k) => new SoftmaxPolicy(k, m + 1));
    const decay = this.settings.baselineDecay;
    if (this.baseline === undefined) {
      this.baseline = r;
      return; // the first reward only sets the baseline
    }
    const diff = r - this.baseline;
    const advantage = diff / Math.sqrt(this.rewardVariance + 1e-8);
    this.rewardVariance = decay * this.rewardVariance + (1 - decay) * diff * diff;
    this.baseline = decay * this.baseline + (1 - decay) * r;
    const context = [1, ...weights];
    this.agents.forEach((agent, j) => agent.update(context, v[j]!, advantage, this.settings.learningRate, this.settings.entropyWeight));
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
