import type { CheckResult } from './baseline.ts';
import { naturalValue } from './objective-sense.ts';

/**
 * The `dse check` result as JUnit XML, which CI systems (GitLab, Jenkins, Azure, GitHub
 * test-report actions) show as test cases: one per judged indicator (hypervolume, additive
 * epsilon), failing with the reason when it regressed, plus the baseline points that are
 * no longer reached as one case each (capped), so a report names what was lost.
 */

const MAX_POINT_CASES = 100;

interface Case {
  name: string;
  failure?: { message: string; body: string };
  output?: string;
}

export function checkJUnit(r: CheckResult, opts: { suiteName?: string; timeS?: number } = {}): string {
  const suite = opts.suiteName ?? 'dse check';
  const cases: Case[] = [];
  const hvReason = r.reasons.find((x) => x.startsWith('hypervolume'));
  const hvBody = r.hypervolume.perSeed
    .map((s) => `${Number.isNaN(s.seed) ? 'median' : `seed ${s.seed}`}: baseline ${s.baselineHv}, current ${s.currentHv}, ratio ${s.ratio}`)
    .join('\n');
  cases.push({
    name: 'hypervolume',
    ...(hvReason ? { failure: { message: hvReason, body: hvBody } } : { output: `median ratio ${r.hypervolume.medianRatio}\n${hvBody}` }),
  });
  const epsReason = r.reasons.find((x) => !x.startsWith('hypervolume'));
  const epsBody = `additive epsilon ${r.additiveEpsilon} (tolerance ${r.tolerances.epsTolerance}); reverse ${r.additiveEpsilonReverse}; IGD+ ${r.igdPlus}`;
  cases.push({
    name: 'additive epsilon',
    ...(epsReason ? { failure: { message: epsReason, body: epsBody } } : { output: epsBody }),
  });
  const judged = epsReason !== undefined;
  for (const p of r.lostPoints.slice(0, MAX_POINT_CASES)) {
    const text = `baseline point ${p.hash} (${r.objectives.map((o, i) => `${o}=${naturalValue(p.objectives[i]!, o, r.maximize)}`).join(', ')}) is no longer reached: short by ${p.shortfall} (normalised), mostly in ${p.worstObjective}; design ${JSON.stringify(p.design)}`;
    cases.push({ name: `baseline point ${p.hash}`, ...(judged ? { failure: { message: text, body: text } } : { output: `${text} (within tolerance)` }) });
  }
  const failures = cases.filter((c) => c.failure).length;
  const time = (opts.timeS ?? 0).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${time}">`,
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${xml(suite)}" name="${xml(c.name)}" time="0">`;
    if (c.failure) {
      lines.push(open, `      <failure type="regression" message="${xml(c.failure.message)}">${xml(c.failure.body)}</failure>`, '    </testcase>');
    } else if (c.output) {
      lines.push(open, `      <system-out>${xml(c.output)}</system-out>`, '    </testcase>');
    } else lines.push(open.replace(/>$/, ' />'));
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
