import { DseError } from '../core/errors.ts';
import type { JournalHeader, ParamValue, Trial } from '../core/types.ts';
import { designHash } from './evaluate-design.ts';
import { studyFromSpec } from './load-study.ts';

/**
 * A journal is read back on resume, merge and report, and a line is trusted only if it could
 * have come from the run its header describes:
 * - its hash is the hash of its design (a hand-edited or forged line is not);
 * - its design lies in the study's space: every searched parameter has one of its values,
 *   every fixed one its fixed value, nothing else;
 * - a trial with an outcome (ok, infeasible) has one finite objective value per study objective;
 * - no design appears twice (a line duplicated, or pasted from another copy of the run).
 * A bad line is a DseError naming the file and the line.
 */
export type TrialCheck = (trial: Trial, line: number) => void;

export function journalTrialCheck(header: JournalHeader, file: string): TrialCheck {
  const study = studyFromSpec(header.study);
  const domains = new Map<string, Set<ParamValue>>(study.parameters.map((p) => [p.name, new Set(p.values)]));
  const fixed = study.fixed;
  const objectives = header.objectives.length;
  const seen = new Map<string, number>();
  return (trial, line) => {
    const bad = (what: string): DseError => new DseError('journal_bad_trial', `line ${line}: ${what}`, { file });
    for (const [name, value] of Object.entries(trial.design)) {
      const domain = domains.get(name);
      if (domain) {
        if (!domain.has(value)) throw bad(`design value ${name}=${JSON.stringify(value)} is not in the study's space`);
      } else if (name in fixed) {
        if (fixed[name] !== value) throw bad(`design value ${name}=${JSON.stringify(value)} differs from the study's fixed ${JSON.stringify(fixed[name])}`);
      } else {
        throw bad(`design parameter ${JSON.stringify(name)} is not in the study`);
      }
    }
    for (const name of domains.keys()) if (!(name in trial.design)) throw bad(`design has no ${name}`);
    if (designHash(trial.design) !== trial.hash) throw bad(`hash ${JSON.stringify(trial.hash)} is not the hash of its design (${designHash(trial.design)}): the line was edited`);
    if (trial.status !== 'failed') {
      const o = trial.objectives ?? [];
      if (o.length !== objectives) throw bad(`has ${o.length} objective values, the study has ${objectives} (${header.objectives.join(', ')})`);
      const k = o.findIndex((x) => !Number.isFinite(x));
      if (k >= 0) throw bad(`objective ${header.objectives[k]} is ${o[k]}, not a finite number`);
    }
    const first = seen.get(trial.hash);
    if (first !== undefined) throw bad(`design ${trial.hash} was already journalled on line ${first}`);
    seen.set(trial.hash, line);
  };
}
