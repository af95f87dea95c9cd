/**
 * A small solver-independent modelling layer for (mixed-integer) linear programs: variables
 * with bounds and a type, linear constraints, one linear objective to minimise. The
 * scheduling ILP and the bitwidth knapsack are written against it; solve-highs.ts and
 * solve-jslp.ts translate it for their solver.
 */

export type VarType = 'binary' | 'integer' | 'continuous';
export type Sense = '<=' | '>=' | '=';

export interface Variable {
  name: string;
  type: VarType;
  lb: number;
  ub: number;
}

/** A linear expression as (variable index, coefficient) pairs plus a constant. */
export interface LinearExpr {
  terms: [number, number][];
  constant: number;
}

export interface Constraint {
  name: string;
  terms: [number, number][];
  sense: Sense;
  rhs: number;
}

/**
 * How a solve ended. `optimal`: the solver proved optimality (gap 0). `finished`: the solver
 * ended its search normally but gives no proof (javascript-lp-solver).
 */
export type SolveStatus = 'optimal' | 'finished' | 'time-limit' | 'infeasible' | 'error';

export interface SolveResult {
  status: SolveStatus;
  /** True only when the solver proved the returned solution optimal. */
  proven: boolean;
  /** Objective of the best feasible solution found (constant included); NaN when none. */
  objective: number;
  /** Best proven bound on the objective (minimisation: a lower bound), when the solver reports one. */
  bound: number | undefined;
  /** Relative gap (objective - bound) / |objective|; 0 when proven, undefined when unknown. */
  gap: number | undefined;
  /** Variable values by index; empty when no feasible solution is known. */
  values: number[];
  solveMs: number;
  /** Solver's own words when something went wrong or a limit was hit. */
  message?: string;
}

export interface SolveOptions {
  timeLimitS: number;
}

/** A backend: takes a model, returns the best solution it found and whether it is proven. */
export type Solver = (model: Model, opts: SolveOptions) => Promise<SolveResult>;

export class Model {
  readonly vars: Variable[] = [];
  readonly constraints: Constraint[] = [];
  objective: LinearExpr = { terms: [], constant: 0 };
  private readonly names = new Set<string>();

  addVar(name: string, type: VarType, lb = 0, ub = type === 'binary' ? 1 : Infinity): number {
    if (this.names.has(name)) throw new Error(`model: duplicate variable ${name}`);
    this.names.add(name);
    if (type === 'binary') {
      lb = Math.max(0, lb);
      ub = Math.min(1, ub);
    }
    this.vars.push({ name, type, lb, ub });
    return this.vars.length - 1;
  }

  /** Adds sum(terms) sense rhs; terms on the same variable are merged and zeros dropped. */
  addConstraint(name: string, terms: [number, number][], sense: Sense, rhs: number): void {
    const merged = mergeTerms(terms);
    if (merged.length === 0) {
      const ok = sense === '<=' ? 0 <= rhs + 1e-9 : sense === '>=' ? 0 >= rhs - 1e-9 : Math.abs(rhs) <= 1e-9;
      if (!ok) throw new Error(`model: constraint ${name} has no variables and cannot hold (0 ${sense} ${rhs})`);
      return;
    }
    this.constraints.push({ name, terms: merged, sense, rhs });
  }

  /** Objective to minimise. */
  minimize(terms: [number, number][], constant = 0): void {
    this.objective = { terms: mergeTerms(terms), constant };
  }

  /** Objective value of an assignment (values by variable index). */
  evaluate(values: number[]): number {
    let s = this.objective.constant;
    for (const [v, c] of this.objective.terms) s += c * (values[v] ?? 0);
    return s;
  }

  /** Largest violation of any bound, integrality or constraint by an assignment (0 when feasible). */
  maxViolation(values: number[]): number {
    let worst = 0;
    this.vars.forEach((v, i) => {
      const x = values[i] ?? 0;
      worst = Math.max(worst, v.lb - x, x - v.ub);
      if (v.type !== 'continuous') worst = Math.max(worst, Math.abs(x - Math.round(x)));
    });
    for (const c of this.constraints) {
      let s = 0;
      for (const [v, a] of c.terms) s += a * (values[v] ?? 0);
      const d = c.sense === '<=' ? s - c.rhs : c.sense === '>=' ? c.rhs - s : Math.abs(s - c.rhs);
      worst = Math.max(worst, d / Math.max(1, Math.abs(c.rhs)));
    }
    return worst;
  }

  /**
   * CPLEX LP text. Variables are written as x0, x1, ... and constraints as c0, c1, ... so user
   * names never have to satisfy the LP grammar; the order matches `vars` and `constraints`.
   * The objective constant is left out (LP readers differ on it); backends add it back.
   */
  toLpText(): string {
    const out: string[] = ['Minimize', ' obj: ' + exprText(this.objective.terms, 0), 'Subject To'];
    this.constraints.forEach((c, i) => {
      out.push(` c${i}: ${exprText(c.terms, 0)} ${c.sense} ${num(c.rhs)}`);
    });
    out.push('Bounds');
    this.vars.forEach((v, i) => {
      const lb = v.lb === -Infinity ? '-inf' : num(v.lb);
      const ub = v.ub === Infinity ? '+inf' : num(v.ub);
      out.push(` ${lb} <= x${i} <= ${ub}`);
    });
    const ints = this.vars.map((v, i) => (v.type === 'continuous' ? '' : `x${i}`)).filter((s) => s);
    if (ints.length > 0) {
      out.push('General');
      for (let i = 0; i < ints.length; i += 20) out.push(' ' + ints.slice(i, i + 20).join(' '));
    }
    out.push('End');
    return out.join('\n') + '\n';
  }
}

function mergeTerms(terms: [number, number][]): [number, number][] {
  const m = new Map<number, number>();
  for (const [v, c] of terms) m.set(v, (m.get(v) ?? 0) + c);
  return [...m.entries()].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]);
}

function num(x: number): string {
  // LP text wants plain decimals; integers dominate here (bytes, 0/1).
  return Number.isInteger(x) ? String(x) : x.toPrecision(17).replace(/\.?0+$/, '');
}

function exprText(terms: [number, number][], constant: number): string {
  const parts: string[] = [];
  for (const [v, c] of terms) {
    const sign = c < 0 ? '-' : '+';
    parts.push(`${parts.length === 0 && sign === '+' ? '' : sign + ' '}${num(Math.abs(c))} x${v}`);
  }
  if (constant !== 0) parts.push(`${constant < 0 ? '-' : '+'} ${num(Math.abs(constant))}`);
  if (parts.length === 0) return '0 x0';
  // LP lines over a few hundred characters are fine for HiGHS, but wrap for readability.
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 12) lines.push(parts.slice(i, i + 12).join(' '));
  return lines.join('\n   ');
}
