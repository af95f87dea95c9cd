/**
 * Reads the normalised study stored in a journal header into the report's StudyInfo. The
 * header's study is `unknown` (it is whatever `dse run` normalised), so every field is read
 * tolerantly: a missing or odd field shows as absent, never as a crash.
 */
import type { ParamValue } from '../../core/types.ts';
import type { StudyInfo } from './model.ts';
import { formatNumber } from './units.ts';

type Rec = Record<string, unknown>;

function rec(v: unknown): Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {};
}

function isParamValue(v: unknown): v is ParamValue {
  return typeof v === 'number' || typeof v === 'string';
}

function paramRecord(v: unknown): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, x] of Object.entries(rec(v))) if (isParamValue(x)) out[k] = x;
  return out;
}

function listText(values: unknown[]): string {
  const shown = values.length > 8 ? [...values.slice(0, 6), '…', values[values.length - 1]] : values;
  return shown.map((v) => (typeof v === 'number' ? formatNumber(v) : String(v))).join(', ');
}

/** A domain as written in the study, in a few words, and its number of values when known. */
export function describeDomain(domain: unknown): { domain: string; count: number; values: ParamValue[] | null } {
  if (Array.isArray(domain)) return { domain: listText(domain), count: domain.length, values: domain.filter(isParamValue) };
  const d = rec(domain);
  if (Array.isArray(d.values)) return { domain: listText(d.values), count: d.values.length, values: d.values.filter(isParamValue) };
  if (Array.isArray(d.categorical)) return { domain: `one of ${listText(d.categorical)}`, count: d.categorical.length, values: d.categorical.filter(isParamValue) };
  const int = rec(d.int);
  if (typeof int.min === 'number' && typeof int.max === 'number') {
    const step = typeof int.step === 'number' && int.step > 0 ? int.step : 1;
    const count = Math.floor((int.max - int.min) / step) + 1;
    const values = count <= 100_000 ? Array.from({ length: count }, (_, i) => (int.min as number) + i * step) : null;
    return { domain: `integers ${int.min}..${int.max}${step !== 1 ? ` step ${step}` : ''}`, count, values };
  }
  const p2 = rec(d.pow2);
  if (typeof p2.min === 'number' && typeof p2.max === 'number') {
    const values: number[] = [];
    for (let p = 2 ** Math.ceil(Math.log2(p2.min)); p <= p2.max; p *= 2) values.push(p);
    return { domain: `powers of two ${p2.min}..${p2.max}`, count: values.length, values };
  }
  return { domain: JSON.stringify(domain) ?? 'unknown', count: 0, values: null };
}

function constraintText(name: string, bound: unknown): string {
  const b = rec(bound);
  const parts: string[] = [];
  if (typeof b.min === 'number') parts.push(`${name} ≥ ${formatNumber(b.min)}`);
  if (typeof b.max === 'number') parts.push(`${name} ≤ ${formatNumber(b.max)}`);
  return parts.length ? parts.join(' and ') : `${name}: ${JSON.stringify(bound)}`;
}

export function studyInfoOf(study: unknown, studyHash: string): StudyInfo {
  const s = rec(study);
  const workloads = (Array.isArray(s.workloads) ? s.workloads : []).map((w) => {
    if (typeof w === 'string') return { name: w, params: {}, weight: 1 };
    const r = rec(w);
    return { name: String(r.name ?? '?'), params: paramRecord(r.params), weight: typeof r.weight === 'number' ? r.weight : 1 };
  });
  const space = Object.entries(rec(s.space)).map(([name, domain]) => {
    const d = describeDomain(domain);
    return { name, domain: d.domain, count: d.count, values: d.values && d.values.length <= 64 ? d.values : null };
  });
  const search = rec(s.search);
  return {
    name: typeof s.name === 'string' && s.name.length > 0 ? s.name : 'unnamed study',
    description: typeof s.description === 'string' ? s.description : '',
    studyHash,
    workloads,
    aggregate: typeof s.aggregate === 'string' ? s.aggregate : '',
    space,
    fixed: paramRecord(s.fixed),
    constraints: Object.entries(rec(s.constraints)).map(([name, bound]) => ({ name, text: constraintText(name, bound) })),
    searchOptions: rec(search.options),
    batchSize: typeof search.batchSize === 'number' ? search.batchSize : null,
  };
}

/** The study's search settings (algorithm, budget). */
export function searchOf(study: unknown): { algorithm: string; budget: number | null } {
  const search = rec(rec(study).search);
  return {
    algorithm: typeof search.algorithm === 'string' ? search.algorithm : 'unknown',
    budget: typeof search.budget === 'number' ? search.budget : null,
  };
}

/** Values of each searched parameter in domain order (null when the domain is not readable). */
export function domainValuesOf(study: unknown): Map<string, ParamValue[] | null> {
  const out = new Map<string, ParamValue[] | null>();
  for (const [name, domain] of Object.entries(rec(rec(study).space))) out.set(name, describeDomain(domain).values);
  return out;
}
