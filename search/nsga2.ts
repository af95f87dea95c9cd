import { z } from 'zod';
import { deriveSeed, Prng } from '../core/prng.ts';
import type { Design, Trial } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import { crowdingDistance, nondominatedSort } from '../results/dominance.ts';
import { DesignPicker } from './design-picker.ts';
import { islandBudget } from './island.ts';
import type { Searcher, SearcherOptions } from './searcher.ts';
import { Space } from './space.ts';
import { usableObjectives, violationOf } from './trial-outcome.ts';

export const nsga2SettingsSchema = z.strictObject({
  /** Parents kept per generation (mu). Default: the first ask's n (at least 4). */
  populationSize: z.number().int().min(4).optional(),
  /** Offspring bred per generation (lambda). Default: the first ask's n, so one generation fills one batch. */
  offspringSize: z.number().int().min(1).optional(),
  /**
   * Keep every member of the first non-dominated front as a parent even when there are more
   * than populationSize of them (the parents grow with the front), so no found front design is
   * dropped from breeding by the crowding cut.
   */
  keepWholeFront: z.boolean().default(true),
  /** Probability that a pair of parents is recombined (otherwise the children are copies, then mutated). */
  crossoverProbability: z.number().min(0).max(1).default(0.9),
  /** Per-parameter mutation probability. Default 1 / number of parameters. */
  mutationProbability: z.number().gt(0).max(1).optional(),
  /** SBX distribution index on ordinal positions (larger: children closer to parents). */
  crossoverEta: z.number().min(0).default(15),
  /** Polynomial-mutation distribution index on ordinal positions (larger: smaller steps). */
  mutationEta: z.number().min(0).default(20),
});
export type Nsga2Settings = z.infer<typeof nsga2SettingsSchema>;

/** One evaluated member, as NSGA-II ranks it. */
export interface Individual {
  v: number[];
  /** Undefined for failed trials. */
  objectives: number[] | undefined;
  /** 0 when feasible; see violationOf. */
  violation: number;
  seq: number;
  /** Position in Deb's constrained order: feasible front k has rank k; infeasible ranks follow by violation. */
  rank: number;
  crowding: number;
}

/**
 * NSGA-II (Deb et al. 2002) on value-index vectors, with Deb's constraint rules: feasible
 * before infeasible, infeasible by total violation, failed (violation +Infinity) last.
 *
 * Generations: the first population is random (fresh designs); each later one is bred from
 * the parents by binary tournament, crossover and mutation, and after its outcomes are told,
 * parents and offspring compete for the next parents (non-dominated sorting, crowding distance).
 * If asked again before a generation has been told (a pipelined loop), it breeds from the
 * parents it has, so `ask` only returns [] when the budget is spent or the space exhausted.
 */
export class Nsga2 implements Searcher {
  readonly name = 'nsga2';
  private readonly space: Space;
  private readonly picker: DesignPicker;
  private readonly prng: Prng;
  private readonly budget: number;
  private readonly settings: Nsga2Settings;
  private populationSize: number | undefined;
  private offspringSize: number | undefined;
  private parents: Individual[] = [];
  private offspring: Individual[] = [];
  private queue: number[][] = [];
  private asked = 0;
  private exhausted = false;

  constructor(options: SearcherOptions, space?: Space) {
    this.space = space ?? new Space(options.parameters, options.fixed);
    this.picker = new DesignPicker(this.space, options.isAdmissible, deriveSeed(options.seed, 'nsga2'));
    this.prng = new Prng(deriveSeed(options.seed, 'nsga2-operators'));
    this.budget = islandBudget(options);
    this.settings = validate(nsga2SettingsSchema, options.settings ?? {}, { pathPrefix: 'search.options' });
    this.populationSize = this.settings.populationSize;
  }

  ask(n: number): Design[] {
    if (n <= 0) return [];
    this.populationSize ??= Math.max(4, n);
    this.offspringSize ??= this.settings.offspringSize ?? n;
    const out: Design[] = [];
    while (out.length < n && this.asked < this.budget) {
      if (this.queue.length === 0) {
        if (out.length > 0 || this.exhausted) break; // a generation ends here
        this.refill();
        if (this.queue.length === 0) break;
      }
      const v = this.queue.shift()!;
      out.push(this.space.designOf(v));
      this.asked++;
    }
    return out;
  }

  tell(trials: Trial[]): void {
    for (const t of trials) {
      const v = this.space.vectorOf(t.design);
      if (!v) continue;
      const objectives = usableObjectives(t);
      this.offspring.push({ v, objectives, violation: objectives ? violationOf(t) : Infinity, seq: t.seq, rank: 0, crowding: 0 });
    }
  }

  /** The current parents (after the last environmental selection), best first. */
  get population(): readonly Individual[] {
    return this.parents;
  }

  private refill(): void {
    const mu = this.populationSize!;
    if (this.offspring.length > 0) {
      const pool = [...this.parents, ...this.offspring];
      this.parents = selectSurvivors(pool, this.settings.keepWholeFront ? Math.max(mu, firstFrontSize(pool)) : mu);
      this.offspring = [];
    }
    const remaining = this.budget - this.asked;
    const want = Math.min(this.offspringSize!, remaining);
    if (this.parents.length < 2) {
      for (let i = 0; i < want; i++) {
        const v = this.picker.fresh();
        if (!v) break;
        this.picker.claim(v);
        this.queue.push(v);
      }
    } else {
      while (this.queue.length < want) {
        const a = tournament(this.parents, this.prng);
        const b = tournament(this.parents, this.prng);
        const children =
          this.prng.next() < this.settings.crossoverProbability
            ? crossover(this.space, a.v, b.v, this.settings.crossoverEta, this.prng)
            : [a.v.slice(), b.v.slice()];
        for (const child of children) {
          if (this.queue.length >= want) break;
          const mutated = mutate(this.space, child, this.mutationProbability(), this.settings.mutationEta, this.prng);
          const v = this.unique(mutated);
          if (!v) break;
          this.picker.claim(v);
          this.queue.push(v);
        }
        if (this.exhausted) break;
      }
    }
    if (this.queue.length === 0) this.exhausted = true;
  }

  private mutationProbability(): number {
    return this.settings.mutationProbability ?? 1 / Math.max(1, this.space.dimensions);
  }

  /** A free design at or near v: re-mutate a few times, then the nearest free design. */
  private unique(v: number[]): number[] | undefined {
    let x = v;
    for (let attempt = 0; attempt < 8; attempt++) {
      if (this.picker.isFree(x)) return x;
      x = forceMutate(this.space, x, this.settings.mutationEta, this.prng);
    }
    const near = this.picker.nearestFree(x);
    if (!near) this.exhausted = true;
    return near;
  }
}

export function nsga2(options: SearcherOptions): Searcher {
  return new Nsga2(options);
}

/** Number of feasible individuals no other feasible one dominates. */
export function firstFrontSize(pool: readonly Individual[]): number {
  const points = pool.filter((p) => p.violation === 0 && p.objectives).map((p) => p.objectives!);
  return points.length === 0 ? 0 : nondominatedSort(points)[0]!.length;
}

/**
 * Environmental selection with Deb's rules: feasible individuals by non-dominated front, the
 * last front cut by crowding distance (larger first); then infeasible by violation (failed
 * last). Ties keep the earlier trial. Returns the survivors with rank and crowding set, best first.
 */
export function selectSurvivors(pool: Individual[], size: number): Individual[] {
  const feasible = pool.filter((p) => p.violation === 0 && p.objectives);
  const infeasible = pool.filter((p) => !(p.violation === 0 && p.objectives));
  const points = feasible.map((p) => p.objectives!);
  const fronts = nondominatedSort(points);
  const out: Individual[] = [];
  fronts.forEach((front, rank) => {
    if (out.length >= size) return;
    const dist = crowdingDistance(points, front);
    const members = front.map((i, k) => ({ ind: feasible[i]!, crowding: dist[k]! }));
    if (out.length + members.length > size) {
      members.sort((a, b) => (b.crowding > a.crowding ? 1 : b.crowding < a.crowding ? -1 : a.ind.seq - b.ind.seq));
    }
    for (const m of members) {
      if (out.length >= size) break;
      out.push({ ...m.ind, rank, crowding: m.crowding });
    }
  });
  infeasible.sort((a, b) => (a.violation < b.violation ? -1 : a.violation > b.violation ? 1 : a.seq - b.seq));
  let rank = fronts.length;
  for (const p of infeasible) {
    if (out.length >= size) break;
    out.push({ ...p, rank: rank++, crowding: 0 });
  }
  return out;
}

/** Binary tournament: lower rank wins, then larger crowding distance, then the first drawn. */
export function tournament(population: readonly Individual[], prng: Prng): Individual {
  const a = population[prng.int(population.length)]!;
  const b = population[prng.int(population.length)]!;
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  return b.crowding > a.crowding ? b : a;
}

/**
 * Crossover of two parents. Each parameter is recombined with probability 1/2 (else the
 * children inherit it unchanged): an ordinal parameter by simulated binary crossover (SBX,
 * Deb and Agrawal 1995) on its value positions, rounded to the nearest position; a
 * categorical one by swapping the parents' values (uniform crossover).
 */
export function crossover(space: Space, p1: readonly number[], p2: readonly number[], eta: number, prng: Prng): [number[], number[]] {
  const c1 = p1.slice();
  const c2 = p2.slice();
  for (let j = 0; j < p1.length; j++) {
    if (prng.next() >= 0.5 || p1[j] === p2[j]) continue;
    if (!space.ordinal[j]) {
      c1[j] = p2[j]!;
      c2[j] = p1[j]!;
      continue;
    }
    const [a, b] = sbx(p1[j]!, p2[j]!, 0, space.radices[j]! - 1, eta, prng);
    if (prng.next() < 0.5) {
      c1[j] = a;
      c2[j] = b;
    } else {
      c1[j] = b;
      c2[j] = a;
    }
  }
  return [c1, c2];
}

/** Bounded SBX on one variable (Deb's reference implementation), rounded to integer positions. */
function sbx(x1: number, x2: number, lower: number, upper: number, eta: number, prng: Prng): [number, number] {
  const y1 = Math.min(x1, x2);
  const y2 = Math.max(x1, x2);
  const u = prng.next();
  const spread = (beta: number): number => {
    const alpha = 2 - Math.pow(beta, -(eta + 1));
    return u <= 1 / alpha ? Math.pow(u * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
  };
  const b1 = spread(1 + (2 * (y1 - lower)) / (y2 - y1));
  const b2 = spread(1 + (2 * (upper - y2)) / (y2 - y1));
  const c1 = 0.5 * (y1 + y2 - b1 * (y2 - y1));
  const c2 = 0.5 * (y1 + y2 + b2 * (y2 - y1));
  const clamp = (x: number): number => Math.min(upper, Math.max(lower, Math.round(x)));
  return [clamp(c1), clamp(c2)];
}

/**
 * Mutation: each parameter with probability pm. An ordinal parameter takes an integer
 * polynomial-mutation step (Deb's bounded polynomial mutation on its position, rounded; a step
 * that rounds to no change becomes a one-position step in the drawn direction, so a mutation
 * always moves); a categorical one is reset to a different value drawn uniformly.
 */
export function mutate(space: Space, v: readonly number[], pm: number, eta: number, prng: Prng): number[] {
  const out = v.slice();
  for (let j = 0; j < v.length; j++) {
    if (space.radices[j]! > 1 && prng.next() < pm) out[j] = mutateOne(space, j, v[j]!, eta, prng);
  }
  return out;
}

/** Mutates one randomly chosen parameter that has more than one value. */
function forceMutate(space: Space, v: readonly number[], eta: number, prng: Prng): number[] {
  const movable = space.radices.map((r, j) => (r > 1 ? j : -1)).filter((j) => j >= 0);
  if (movable.length === 0) return v.slice();
  const j = prng.pick(movable);
  const out = v.slice();
  out[j] = mutateOne(space, j, v[j]!, eta, prng);
  return out;
}

function mutateOne(space: Space, j: number, x: number, eta: number, prng: Prng): number {
  const r = space.radices[j]!;
  if (!space.ordinal[j]) {
    const y = prng.int(r - 1);
    return y >= x ? y + 1 : y;
  }
  const upper = r - 1;
  const u = prng.next();
  const power = 1 / (eta + 1);
  let deltaq: number;
  if (u < 0.5) {
    const xy = 1 - x / upper;
    deltaq = Math.pow(2 * u + (1 - 2 * u) * Math.pow(xy, eta + 1), power) - 1;
  } else {
    const xy = 1 - (upper - x) / upper;
    deltaq = 1 - Math.pow(2 * (1 - u) + 2 * (u - 0.5) * Math.pow(xy, eta + 1), power);
  }
  let y = Math.min(upper, Math.max(0, Math.round(x + deltaq * upper)));
  if (y === x) y = Math.min(upper, Math.max(0, x + (u < 0.5 ? -1 : 1)));
  if (y === x) y = x === 0 ? 1 : x - 1; // at a bound, step inwards
  return y;
}
