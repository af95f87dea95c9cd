import { DseError } from '../core/errors.ts';
import { hashOfCanonicalJson } from '../core/hash.ts';
import type { JournalHeader, ParamValue } from '../core/types.ts';
import { validate } from '../core/validate.ts';
import type { JournalLineCheck } from '../results/merge.ts';
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
  const seen = new Map<string, number>();
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
      const k = o.findIndex((x) => !Number.isFinite(x));
      if (k >= 0) throw badLine(file, line, `objective ${header.objectives[k]} is ${o[k]}, not a finite number`);
    }
    const first = seen.get(trial.hash);
    if (first !== undefined) throw badLine(file, line, `design ${trial.hash} was already journalled on line ${first}`);
    seen.set(trial.hash, line);
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
  return (text, hash) => {
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
    return hashOfCanonicalJson(canonical + '}') === hash;
  };
}
