import type { Highs } from 'highs';
import type { Model, SolveOptions, SolveResult } from './model.ts';

/**
 * HiGHS (branch-and-cut MIP solver, compiled to WebAssembly by the npm `highs` package).
 * The model goes in as CPLEX LP text; `mip_rel_gap` is 0, so `Optimal` means proven optimal,
 * and a time limit ends the solve with the best feasible solution and the remaining gap.
 * The WASM runtime is loaded once per thread (module state is per worker) and reused: a load
 * costs tens of milliseconds, a small scheduling MIP a few. The WASM build is single-threaded.
 */
let runtime: Promise<Highs> | undefined;

export function loadHighsRuntime(): Promise<Highs> {
  runtime ??= import('highs').then((m) => (m.default as unknown as () => Promise<Highs>)());
  return runtime;
}

// Model status codes (highs.constants.modelStatus).
const OPTIMAL = 7;
const INFEASIBLE = 8;
const TIME_LIMIT = 13;

export async function solveHighs(model: Model, opts: SolveOptions): Promise<SolveResult> {
  const highs = await loadHighsRuntime();
  const started = performance.now();
  if (model.vars.length === 0) {
    return { status: 'optimal', proven: true, objective: model.objective.constant, bound: model.objective.constant, gap: 0, values: [], solveMs: 0 };
  }
  const lp = model.toLpText();
  const m = highs.createModel({ format: 'lp', data: lp });
  try {
    m.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0, time_limit: opts.timeLimitS });
    m.run();
    const status = m.getModelStatus() as number;
    const solveMs = performance.now() - started;
    if (status === INFEASIBLE) {
      return { status: 'infeasible', proven: true, objective: NaN, bound: undefined, gap: undefined, values: [], solveMs };
    }
    const hasPrimal = Number(m.info.get('primal_solution_status')) === 2; // 2 = feasible
    const values: number[] = [];
    if (hasPrimal) {
      const col = m.getSolution().colValue;
      values.length = model.vars.length;
      model.vars.forEach((v, i) => { values[i] = v.lb === -Infinity ? 0 : v.lb; });
      for (let j = 0; j < col.length; j++) {
        const idx = Number(m.getColName(j).slice(1));
        values[idx] = col[j]!;
      }
      // Snap integer columns: HiGHS returns them within its feasibility tolerance.
      model.vars.forEach((v, i) => { if (v.type !== 'continuous') values[i] = Math.round(values[i]!); });
    }
    const objective = hasPrimal ? model.evaluate(values) : NaN;
    if (status === OPTIMAL) {
      return { status: 'optimal', proven: true, objective, bound: objective, gap: 0, values, solveMs };
    }
    const boundRaw = safeInfo(m.info, 'mip_dual_bound');
    const bound = boundRaw === undefined || !Number.isFinite(boundRaw) ? undefined : boundRaw + model.objective.constant;
    const gap = hasPrimal && bound !== undefined ? Math.max(0, objective - bound) / Math.max(1e-9, Math.abs(objective)) : undefined;
    return {
      status: status === TIME_LIMIT ? 'time-limit' : 'error',
      proven: false,
      objective,
      bound,
      gap,
      values: hasPrimal ? values : [],
      solveMs,
      message: `HiGHS model status ${status}`,
    };
  } finally {
    m.dispose();
  }
}

function safeInfo(info: { get(name: string): number | bigint }, name: string): number | undefined {
  try {
    return Number(info.get(name));
  } catch {
    return undefined;
  }
}
