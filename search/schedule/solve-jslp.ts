import type { Model, SolveOptions, SolveResult } from './model.ts';

/**
 * javascript-lp-solver: a pure-JavaScript simplex with branch and bound. Useful for small
 * models and as an independent cross-check of HiGHS. It reports no bound and no gap, so its
 * answers are never marked proven; its timeout is checked between branch-and-bound nodes, so
 * a single large LP relaxation can run past the limit.
 */
interface JslpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, { min?: number; max?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
  ints: Record<string, 1>;
  options: { timeout: number; tolerance: number };
}

interface JslpSolver {
  Solve(model: JslpModel): { feasible: boolean; result: number; bounded?: boolean; [k: string]: number | boolean | undefined };
}

let solverPromise: Promise<JslpSolver> | undefined;

function loadJslp(): Promise<JslpSolver> {
  solverPromise ??= import('javascript-lp-solver').then((m) => (m.default ?? m) as unknown as JslpSolver);
  return solverPromise;
}

export async function solveJslp(model: Model, opts: SolveOptions): Promise<SolveResult> {
  const solver = await loadJslp();
  const started = performance.now();
  // jslp variables are >= 0: shift each variable by its lower bound (x = lb + y).
  const shift = model.vars.map((v) => {
    if (v.lb === -Infinity) throw new Error(`solve-jslp: variable ${v.name} has no lower bound; javascript-lp-solver needs x >= 0`);
    return v.lb;
  });
  const m: JslpModel = {
    optimize: '_obj',
    opType: 'min',
    constraints: {},
    variables: {},
    ints: {},
    options: { timeout: Math.max(1, Math.round(opts.timeLimitS * 1000)), tolerance: 0 },
  };
  model.vars.forEach((v, i) => {
    m.variables[`x${i}`] = { _obj: 0 };
    if (v.type !== 'continuous') m.ints[`x${i}`] = 1;
    if (v.ub !== Infinity) {
      m.constraints[`ub${i}`] = { max: v.ub - v.lb };
      m.variables[`x${i}`]![`ub${i}`] = 1;
    }
  });
  for (const [v, c] of model.objective.terms) m.variables[`x${v}`]!._obj = c;
  model.constraints.forEach((c, k) => {
    let rhs = c.rhs;
    for (const [v, a] of c.terms) {
      m.variables[`x${v}`]![`c${k}`] = a;
      rhs -= a * shift[v]!;
    }
    m.constraints[`c${k}`] = c.sense === '<=' ? { max: rhs } : c.sense === '>=' ? { min: rhs } : { equal: rhs };
  });
  const r = solver.Solve(m);
  const solveMs = performance.now() - started;
  if (!r.feasible) {
    // Without a proof object we cannot tell "infeasible" from "gave up"; callers treat it as no solution.
    return { status: 'infeasible', proven: false, objective: NaN, bound: undefined, gap: undefined, values: [], solveMs, message: 'javascript-lp-solver found no feasible solution' };
  }
  const values = model.vars.map((v, i) => {
    const y = typeof r[`x${i}`] === 'number' ? (r[`x${i}`] as number) : 0;
    const x = y + shift[i]!;
    return v.type === 'continuous' ? x : Math.round(x);
  });
  const viol = model.maxViolation(values);
  if (viol > 1e-6) {
    return { status: 'error', proven: false, objective: NaN, bound: undefined, gap: undefined, values: [], solveMs, message: `javascript-lp-solver returned a solution violating the model by ${viol}` };
  }
  const timedOut = solveMs > opts.timeLimitS * 1000;
  return {
    status: timedOut ? 'time-limit' : 'finished',
    proven: false,
    objective: model.evaluate(values),
    bound: undefined,
    gap: undefined,
    values,
    solveMs,
    message: timedOut ? 'javascript-lp-solver ran past its time limit; best solution it had' : 'javascript-lp-solver finished (it does not prove optimality)',
  };
}
