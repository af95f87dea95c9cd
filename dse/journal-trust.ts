import { DseError } from '../core/errors.ts';
import { hashOfCanonicalJson } from '../core/hash.ts';
import type { JournalHeader, ParamValue } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import type { JournalLineCheck } from '../results/merge.ts';
import { DesignHashSet } from './design-hash-set.ts';
import { designHash } from './evaluate-design.ts';
import { studySchema, type StudySpec } from './study-schema.ts';
import { expandSpace } from './study-space.ts';

/**
 * A journal is read back on resume, merge and report (results/ takes this check as a
 * parameter: the study's space is derived here, in dse/), and a line is trusted only if it could
 * have come from the run its header describes:
 * - its hash is the hash of its design (a hand-edited or forged line is not);
 * - its design lies in the study's space: every searched parameter has one of its values,
 *   every fixed one its fixed value, nothing else;
 * - a trial with an outcome (ok, infeasible) has one finite objective value per study objective;
 * - no design appears twice (a line duplicated, or pasted from another copy of the run).
 * A bad line is a DseError naming the file and the line.
 */
export type TrialCheck = ReturnType<JournalLineCheck>;

export const journalTrialCheck: JournalLineCheck = (header: JournalHeader, file: string): TrialCheck => {
  // Only the space and the fixed values of the header's study: not the whole study (its
  // workloads, architecture file), so a report still reads a run whose workload files moved.
  const spec = validate(studySchema, header.study, { file, pathPrefix: 'study' }) as StudySpec;
  const domains = new Map<string, Set<ParamValue>>(expandSpace(spec.space).map((p) => [p.name, new Set(p.values)]));
  const fixed = spec.fixed;
  const quick = quickDesignCheck(domains, fixed);
  const objectives = header.objectives.length;
  const seen = new DesignHashSet();
  return (trial, line) => {
    if (trial.designJson === undefined || !quick(trial.designJson, trial.hash)) {
      // The full check, which names what is wrong (or passes a design the quick one does not read, e.g. with escapes).
      // A report's lenient reader hands over any line that parses; resume and merge have checked these already.
      const design = trial.design;
      if (design === null || typeof design !== 'object' || Array.isArray(design)) throw badLine(file, line, 'design must be an object');
      for (const [name, value] of Object.entries(design)) {
        const domain = domains.get(name);
        if (domain) {
          if (!domain.has(value)) throw badLine(file, line, `design value ${name}=${JSON.stringify(value)} is not in the study's space`);
        } else if (name in fixed) {
          if (fixed[name] !== value) throw badLine(file, line, `design value ${name}=${JSON.stringify(value)} differs from the study's fixed ${JSON.stringify(fixed[name])}`);
        } else {
          throw badLine(file, line, `design parameter ${JSON.stringify(name)} is not in the study`);
        }
      }
      for (const name of domains.keys()) if (!(name in design)) throw badLine(file, line, `design has no ${name}`);
      if (designHash(design) !== trial.hash) throw badLine(file, line, `hash ${JSON.stringify(trial.hash)} is not the hash of its design (${designHash(design)}): the line was edited`);
    }
    if (trial.status !== 'failed') {
      const o = trial.objectives ?? [];
      if (!Array.isArray(o)) throw badLine(file, line, 'objectives must be a list of numbers');
      if (o.length !== objectives) throw badLine(file, line, `has ${o.length} objective values, the study has ${objectives} (${header.objectives.join(', ')})`);
      let k = 0;
      while (k < o.length && Number.isFinite(o[k])) k++;
      if (k < o.length) throw badLine(file, line, `objective ${header.objectives[k]} is ${o[k]}, not a finite number`);
    }
    const first = seen.add(trial.hash, line);
    if (first !== undefined) throw badLine(file, line, `design ${trial.hash} was already journalled on line ${first}`);
  };
};

function badLine(file: string, line: number, what: string): DseError {
  return new DseError('journal_bad_trial', `line ${line}: ${what}`, { file });
}

/**
 * The design part of the check on the design's JSON text as the line holds it, without
 * parsing it or building a sorted copy: a report checks a million lines, and JSON.parse,
 * canonicalJson and the hash of each design would take seconds. The text passes only when it
 * is a flat object `{"name":value,...}` whose every value's text is exactly the JSON of an
 * allowed value of that parameter (so it is the canonical text of that value), each searched
 * parameter present, no name twice, and the hash of its entries sorted by name (which is
 * canonicalJson of the parsed design, core/hash.ts) is the line's hash. Anything else returns
 * false and the full check runs, so this never passes a line the full check would refuse.
 */
function quickDesignCheck(domains: Map<string, Set<ParamValue>>, fixed: Record<string, ParamValue>): (text: string, hash: string) => boolean {
  const allowed = new Map<string, { texts: Set<string>; searched: boolean }>();
  for (const [name, value] of Object.entries(fixed)) allowed.set(name, { texts: new Set([JSON.stringify(value)]), searched: false });
  for (const [name, values] of domains) allowed.set(name, { texts: new Set([...values].map((v) => JSON.stringify(v))), searched: true });
  // Reused for every line: a million lines should not allocate a million arrays.
  const names: string[] = [];
  const entries: string[] = [];
  const textOrder: string[] = [];
  // The names of the last design read, in the order the line wrote them: the lines of a run
  // all write their designs' parameters in one order, so a line in that order is read
  // without slicing or sorting its names (DesignShape).
  let shape: DesignShape | undefined;
  return (text, hash) => {
    if (shape !== undefined) {
      const r = shape.check(text, hash);
      if (r !== undefined) return r;
    }
    let n = 0;
    let searched = 0;
    let i = 1;
    if (text.charCodeAt(0) !== 0x7b /* { */) return false;
    if (text !== '{}') {
      for (;;) {
        if (text.charCodeAt(i) !== 0x22 /* " */) return false;
        const nameEnd = text.indexOf('"', i + 1);
        if (nameEnd < 0 || text.charCodeAt(nameEnd + 1) !== 0x3a /* : */) return false;
        const valueStart = nameEnd + 2;
        let valueEnd: number;
        if (text.charCodeAt(valueStart) === 0x22) {
          valueEnd = text.indexOf('"', valueStart + 1) + 1;
          if (valueEnd === 0) return false;
        } else {
          valueEnd = valueStart;
          for (let c = text.charCodeAt(valueEnd); valueEnd < text.length && c !== 0x2c /* , */ && c !== 0x7d /* } */; c = text.charCodeAt(++valueEnd));
        }
        // A name with an escape is not a parameter's; a value whose string holds an escaped
        // quote ends early here and is no allowed value's text: both go to the full check.
        const a = allowed.get(text.slice(i + 1, nameEnd));
        if (!a || !a.texts.has(text.slice(valueStart, valueEnd))) return false;
        if (a.searched) searched++;
        // Insertion by name keeps the entries sorted (a design has a few dozen at most).
        const name = text.slice(i + 1, nameEnd);
        textOrder[n] = name;
        let k = n++;
        for (; k > 0 && names[k - 1]! > name; k--) {
          names[k] = names[k - 1]!;
          entries[k] = entries[k - 1]!;
        }
        if (k > 0 && names[k - 1] === name) return false;
        names[k] = name;
        entries[k] = text.slice(i, valueEnd);
        const next = text.charCodeAt(valueEnd);
        if (next === 0x7d) {
          if (valueEnd !== text.length - 1) return false;
          break;
        }
        if (next !== 0x2c) return false;
        i = valueEnd + 1;
      }
    }
    if (searched !== domains.size) return false;
    let canonical = '{';
    for (let k = 0; k < n; k++) canonical += k === 0 ? entries[k] : ',' + entries[k];
    const ok = hashOfCanonicalJson(canonical + '}') === hash;
    if (ok) shape = new DesignShape(textOrder.slice(0, n), allowed);
    return ok;
  };
}

/**
 * A design's parameter names in the order a line wrote them (distinct, each searched one
 * present: a line read by the general quick check). `check` reads a line written in exactly
 * this order: each `"name":` is matched in place, only the value texts are sliced, and the
 * canonical text is joined in name order by a permutation worked out once. It returns
 * undefined when the line is not in this shape (the general quick check then reads it), else
 * what the general check would: whether every value's text is an allowed value's and the
 * hash of the canonical text is the line's.
 */
class DesignShape {
  /** `{"name":` for the first name, `,"name":` for the others, in the line's order (names as the line's text has them, as the general check reads them). */
  private readonly keyTexts: string[];
  private readonly allowedTexts: Set<string>[];
  /** Positions (in the line's order) of the names sorted, and their keys as canonical text writes them. */
  private readonly sortedAt: number[];
  private readonly sortedKeyTexts: string[];
  private readonly values: string[];

  constructor(names: string[], allowed: Map<string, { texts: Set<string> }>) {
    this.keyTexts = names.map((name, k) => (k === 0 ? '{"' : ',"') + name + '":');
    this.allowedTexts = names.map((name) => allowed.get(name)!.texts);
    this.sortedAt = names.map((_, k) => k).sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
    this.sortedKeyTexts = this.sortedAt.map((k, j) => (j === 0 ? '{"' : ',"') + names[k]! + '":');
    this.values = names.map(() => '');
  }

  check(text: string, hash: string): boolean | undefined {
    const { keyTexts, values } = this;
    const m = keyTexts.length;
    let i = 0;
    for (let k = 0; k < m; k++) {
      const key = keyTexts[k]!;
      if (!text.startsWith(key, i)) return undefined;
      const valueStart = i + key.length;
      let valueEnd: number;
      if (text.charCodeAt(valueStart) === 0x22 /* " */) {
        valueEnd = text.indexOf('"', valueStart + 1) + 1;
        if (valueEnd === 0) return undefined;
      } else {
        valueEnd = valueStart;
        for (let c = text.charCodeAt(valueEnd); valueEnd < text.length && c !== 0x2c /* , */ && c !== 0x7d /* } */; c = text.charCodeAt(++valueEnd));
      }
      const value = text.slice(valueStart, valueEnd);
      if (!this.allowedTexts[k]!.has(value)) return undefined;
      values[k] = value;
      i = valueEnd;
    }
    if (m === 0 || i !== text.length - 1 || text.charCodeAt(i) !== 0x7d /* } */) return undefined;
    let canonical = '';
    for (let j = 0; j < m; j++) canonical += this.sortedKeyTexts[j]! + values[this.sortedAt[j]!]!;
    return hashOfCanonicalJson(canonical + '}') === hash;
  }
}
