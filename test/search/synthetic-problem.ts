import { canonicalJson, stableHash } from '../../core/hash.ts';
import type { Design, Parameter, Trial } from '../../core/types.ts';
import type { Searcher } from '../../search/searcher.ts';

/**
 * Discrete bi-objective test problems in the style of ZDT1 (Zitzler, Deb, Thiele 2000):
 * f1 = t in [0, 1] from one ordinal parameter, f2 = g (1 - sqrt(t / g)) where g >= 1 grows with
 * the distance of the other parameters from a hidden optimum (and with the category); the
 * Pareto front is g = 1, f2 = 1 - sqrt(f1).
 */
export interface Problem {
  parameters: Parameter[];
  evaluate(design: Design): Omit<Trial, 'seq'>;
  isAdmissible?: (design: Design) => boolean;
}

const CATEGORY_PENALTY: Record<string, number> = { a: 1.5, b: 0, c: 0.8, d: 3 };

function zdt(t: number, g: number): number[] {
  return [t, g * (1 - Math.sqrt(t / g))];
}

/**
 * 10 x 5 x 10 x 4 = 2,000 designs, ordinal and categorical. Some designs are inadmissible
 * (x1 + x3 > 16), some infeasible (x2 = 16 with x1 >= 8, with an area violation), some fail
 * (x3 = 3 with category d).
 */
export const mixedProblem: Problem = {
  parameters: [
    { name: 'x1', values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    { name: 'x2', values: [1, 2, 4, 8, 16] },
    { name: 'x3', values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    { name: 'cat', values: ['a', 'b', 'c', 'd'] },
  ],
  isAdmissible: (d) => (d.x1 as number) + (d.x3 as number) <= 16,
  evaluate(design) {
    const hash = stableHash(design);
    if (design.x3 === 3 && design.cat === 'd') return { hash, design, status: 'failed', error: 'synthetic failure' };
    const g = 1 + 2 * (Math.log2(design.x2 as number) / 4) + (2 * Math.abs((design.x3 as number) - 6)) / 9 + CATEGORY_PENALTY[design.cat as string]!;
    const objectives = zdt((design.x1 as number) / 9, g);
    if (design.x2 === 16 && (design.x1 as number) >= 8) {
      return { hash, design, status: 'infeasible', objectives, violations: [{ name: 'areaMM2', value: 12, limit: 10, kind: 'max' }] };
    }
    return { hash, design, status: 'ok', objectives };
  },
};

/** 3 x 2 x 2 = 12 designs: smaller than the budgets used with it. */
export const tinyProblem: Problem = {
  parameters: [
    { name: 'a', values: [1, 2, 3] },
    { name: 'b', values: ['p', 'q'] },
    { name: 'c', values: [10, 20] },
  ],
  evaluate(design) {
    const hash = stableHash(design);
    const t = ((design.a as number) - 1) / 2;
    return { hash, design, status: 'ok', objectives: zdt(t, 1 + (design.b === 'q' ? 1 : 0) + ((design.c as number) - 10) / 10) };
  },
};

/**
 * A larger space for the quality comparison: 32 x 16^4 x 4 = 8,388,608 designs; g = 1 +
 * 9 x mean distance of d1..d4 from their optimum (as a share of the range) + category penalty.
 */
export const largeProblem: Problem = {
  parameters: [
    { name: 't', values: Array.from({ length: 32 }, (_, i) => i) },
    ...[3, 12, 7, 0].map((_, i) => ({ name: `d${i + 1}`, values: Array.from({ length: 16 }, (_, k) => k) })),
    { name: 'cat', values: ['a', 'b', 'c', 'd'] },
  ],
  evaluate(design) {
    const hash = stableHash(design);
    const targets = [3, 12, 7, 0];
    let dist = 0;
    targets.forEach((target, i) => (dist += Math.abs((design[`d${i + 1}`] as number) - target) / 15));
    const g = 1 + (9 * dist) / 4 + CATEGORY_PENALTY[design.cat as string]!;
    return { hash, design, status: 'ok', objectives: zdt((design.t as number) / 31, g) };
  },
};

/** Runs a searcher to completion with a fixed batch size; returns the trials in ask order. */
export function runSearch(searcher: Searcher, problem: Problem, batchSize: number, maxBatches = 100000): Trial[] {
  const trials: Trial[] = [];
  for (let b = 0; b < maxBatches; b++) {
    const designs = searcher.ask(batchSize);
    if (designs.length === 0) break;
    const told = designs.map((d, i) => ({ seq: trials.length + i, ...problem.evaluate(d) }));
    trials.push(...told);
    searcher.tell(told);
  }
  return trials;
}

/** Exact 2-D hypervolume of the feasible trials' objectives against a reference point (minimisation). */
export function hypervolume2d(trials: readonly Trial[], ref: [number, number]): number {
  const pts = trials
    .filter((t) => t.status === 'ok' && t.objectives)
    .map((t) => t.objectives!)
    .filter((p) => p[0]! < ref[0] && p[1]! < ref[1])
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let hv = 0;
  let bestY = ref[1];
  for (const p of pts) {
    if (p[1]! >= bestY) continue;
    hv += (ref[0] - p[0]!) * (bestY - p[1]!);
    bestY = p[1]!;
  }
  return hv;
}

/** Every admissible design of a problem, as sorted canonical JSON (brute force, for small spaces). */
export function allAdmissible(problem: Problem): string[] {
  const keys: string[] = [];
  const rec = (j: number, d: Design): void => {
    if (j === problem.parameters.length) {
      if (!problem.isAdmissible || problem.isAdmissible(d)) keys.push(canonicalJson(d));
      return;
    }
    for (const v of problem.parameters[j]!.values) rec(j + 1, { ...d, [problem.parameters[j]!.name]: v });
  };
  rec(0, {});
  return keys.sort();
}
