import { DseError } from '../core/errors.ts';
import type { Design, Parameter, ParamValue } from '../core/types.ts';

/**
 * Mixed-radix encoding of a discrete space.
 *
 * A design is also a *value-index vector* v (v[j] = position of the design's value in
 * parameters[j].values) and an *index* in [0, spaceSize): the first parameter is the most
 * significant digit, the last varies fastest (nested loops in declaration order).
 * Indexes are plain numbers, exact while the space has at most 2^53 designs.
 *
 * A parameter whose values are all numbers is *ordinal*: its values are ordered as given, so
 * neighbouring positions are neighbouring values (step mutations, SBX on positions, tree
 * thresholds make sense). A parameter with any string value is *categorical*: positions carry
 * no order.
 */
export class Space {
  readonly parameters: readonly Parameter[];
  readonly fixed: Readonly<Record<string, ParamValue>>;
  /** Number of values of each parameter. */
  readonly radices: readonly number[];
  readonly ordinal: readonly boolean[];
  /** Product of the radices; may exceed 2^53 (then `indexable` is false). */
  readonly size: number;
  /** True when every index is an exact integer (size <= 2^53). */
  readonly indexable: boolean;
  private readonly lookup: Map<ParamValue, number>[];

  constructor(parameters: readonly Parameter[], fixed: Readonly<Record<string, ParamValue>> = {}) {
    this.parameters = parameters;
    this.fixed = fixed;
    const seen = new Set<string>();
    this.lookup = parameters.map((p) => {
      if (seen.has(p.name)) throw new DseError('invalid_space', `parameter '${p.name}' appears twice`, { path: `space.${p.name}` });
      seen.add(p.name);
      if (p.values.length === 0) throw new DseError('invalid_space', 'needs at least one value', { path: `space.${p.name}` });
      const m = new Map<ParamValue, number>();
      p.values.forEach((v, i) => {
        if (m.has(v)) throw new DseError('invalid_space', `value ${JSON.stringify(v)} repeats`, { path: `space.${p.name}.values.${i}` });
        m.set(v, i);
      });
      return m;
    });
    this.radices = parameters.map((p) => p.values.length);
    this.ordinal = parameters.map((p) => p.values.every((v) => typeof v === 'number'));
    this.size = this.radices.reduce((a, b) => a * b, 1);
    this.indexable = this.size <= 2 ** 53;
  }

  get dimensions(): number {
    return this.parameters.length;
  }

  /** The design with value-index vector v, fixed values merged in. */
  designOf(v: readonly number[]): Design {
    const d: Design = { ...this.fixed };
    for (let j = 0; j < this.parameters.length; j++) d[this.parameters[j]!.name] = this.parameters[j]!.values[v[j]!]!;
    return d;
  }

  /** The value-index vector of a design, or undefined when a value is outside the space. */
  vectorOf(design: Design): number[] | undefined {
    const v = new Array<number>(this.parameters.length);
    for (let j = 0; j < this.parameters.length; j++) {
      const i = this.lookup[j]!.get(design[this.parameters[j]!.name]!);
      if (i === undefined) return undefined;
      v[j] = i;
    }
    return v;
  }

  /** Mixed-radix index of a vector (first parameter most significant). */
  indexOfVector(v: readonly number[]): number {
    this.requireIndexable();
    let index = 0;
    for (let j = 0; j < v.length; j++) index = index * this.radices[j]! + v[j]!;
    return index;
  }

  vectorAt(index: number): number[] {
    this.requireIndexable();
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`index ${index} is outside the space [0, ${this.size})`);
    }
    const v = new Array<number>(this.radices.length);
    let rest = index;
    for (let j = this.radices.length - 1; j >= 0; j--) {
      const r = this.radices[j]!;
      v[j] = rest % r;
      rest = Math.floor(rest / r);
    }
    return v;
  }

  designAt(index: number): Design {
    return this.designOf(this.vectorAt(index));
  }

  /**
   * A key identifying a vector: its index when the space is indexable, otherwise the
   * positions joined. Used by visited sets.
   */
  keyOf(v: readonly number[]): number | string {
    return this.indexable ? this.indexOfVector(v) : v.join(',');
  }

  /**
   * Designs one step away: an ordinal parameter moves to the previous or next value, a
   * categorical one to any other value. Order is stable (parameter order, then -1 before +1).
   */
  neighbours(v: readonly number[]): number[][] {
    const out: number[][] = [];
    for (let j = 0; j < v.length; j++) {
      const r = this.radices[j]!;
      if (this.ordinal[j]) {
        for (const delta of [-1, 1]) {
          const x = v[j]! + delta;
          if (x >= 0 && x < r) out.push(withValue(v, j, x));
        }
      } else {
        for (let x = 0; x < r; x++) if (x !== v[j]) out.push(withValue(v, j, x));
      }
    }
    return out;
  }

  /** Moves parameter j of v by `delta` positions, clamped to its range (ordinal parameters). */
  step(v: readonly number[], j: number, delta: number): number[] {
    const x = Math.min(this.radices[j]! - 1, Math.max(0, v[j]! + delta));
    return withValue(v, j, x);
  }

  private requireIndexable(): void {
    if (!this.indexable) {
      throw new DseError('space_too_large', `the space has ${this.size.toExponential(2)} designs, more than 2^53 cannot be indexed`, { path: 'space' });
    }
  }
}

function withValue(v: readonly number[], j: number, x: number): number[] {
  const out = v.slice();
  out[j] = x;
  return out;
}

const compiled = new WeakMap<readonly Parameter[], Space>();

/** The Space of a parameter list (cached per array, ignoring fixed values). */
function spaceOf(params: readonly Parameter[]): Space {
  let s = compiled.get(params);
  if (!s) {
    s = new Space(params);
    compiled.set(params, s);
  }
  return s;
}

/** Number of designs (product of the parameters' value counts). */
export function spaceSize(params: readonly Parameter[]): number {
  return spaceOf(params).size;
}

/** The design at a mixed-radix index, with the fixed values merged in. */
export function designAt(params: readonly Parameter[], fixed: Readonly<Record<string, ParamValue>>, index: number): Design {
  return { ...fixed, ...spaceOf(params).designAt(index) };
}

/** The mixed-radix index of a design; DseError when a value is not in the space. */
export function indexOf(params: readonly Parameter[], design: Design): number {
  const s = spaceOf(params);
  const v = s.vectorOf(design);
  if (!v) {
    const bad = params.find((p) => !p.values.includes(design[p.name]!));
    throw new DseError('not_in_space', `value ${JSON.stringify(design[bad?.name ?? ''])} is not in the space`, { path: `space.${bad?.name ?? ''}` });
  }
  return s.indexOfVector(v);
}

/** Value-index vector -> design (fixed values merged in). */
export function designFromVector(params: readonly Parameter[], fixed: Readonly<Record<string, ParamValue>>, v: readonly number[]): Design {
  return { ...fixed, ...spaceOf(params).designOf(v) };
}

/** Design -> value-index vector, or undefined when a value is not in the space. */
export function vectorFromDesign(params: readonly Parameter[], design: Design): number[] | undefined {
  return spaceOf(params).vectorOf(design);
}

/** True when every value of the parameter is a number (its order is meaningful). */
export function isOrdinal(param: Parameter): boolean {
  return param.values.every((v) => typeof v === 'number');
}
