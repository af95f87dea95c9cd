import { DseError } from '../core/errors.ts';
import type { Parameter, ParamValue } from '../core/types.ts';
import type { Domain } from './study-schema.ts';

/** Largest number of values one parameter may expand to (a typo like step: 0.001 should not eat memory). */
const MAX_VALUES_PER_PARAMETER = 100_000;

/** Expands a domain to its ordered list of values. */
export function expandDomain(name: string, domain: Domain): ParamValue[] {
  const path = `space.${name}`;
  let values: ParamValue[];
  if (Array.isArray(domain)) values = domain;
  else if (domain.values) values = domain.values;
  else if (domain.categorical) values = domain.categorical;
  else if (domain.int) {
    const { min, max, step } = domain.int;
    const count = Math.floor((max - min) / step) + 1;
    if (count > MAX_VALUES_PER_PARAMETER) throw new DseError('domain_too_large', `${count} values; at most ${MAX_VALUES_PER_PARAMETER}`, { path: `${path}.int` });
    values = Array.from({ length: count }, (_, i) => min + i * step);
  } else if (domain.pow2) {
    const { min, max } = domain.pow2;
    values = [];
    for (let p = 2 ** Math.ceil(Math.log2(min)); p <= max; p *= 2) values.push(p);
    if (values.length === 0) throw new DseError('empty_domain', `no power of two between ${min} and ${max}`, { path: `${path}.pow2` });
  } else {
    throw new DseError('invalid_field', 'give exactly one of values, int, pow2, categorical', { path });
  }
  const seen = new Set<ParamValue>();
  for (const v of values) {
    if (seen.has(v)) throw new DseError('duplicate_value', `value ${JSON.stringify(v)} appears twice`, { path });
    seen.add(v);
  }
  return values;
}

export function expandSpace(space: Record<string, Domain>): Parameter[] {
  return Object.entries(space).map(([name, domain]) => ({ name, values: expandDomain(name, domain) }));
}

/** Number of designs in the space (a float: spaces can exceed 2^53, where it is approximate). */
export function spaceSizeOf(parameters: Parameter[]): number {
  return parameters.reduce((n, p) => n * p.values.length, 1);
}
