import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStudy } from '../../dse/run-study.ts';
import { mergeRuns } from '../../results/merge.ts';
import { journalTrialCheck } from '../../dse/journal-trust.ts';
import { designHash } from '../../dse/evaluate-design.ts';
import { isDseError } from '../../core/errors.ts';
import { writeReport } from '../../dse/report-writer.ts';

/*
 * Journals are read back on resume and merge; a line that could not have come from the run its
 * header describes is refused, naming the file and the line, before anything is done with it.
 */
const tmp = mkdtempSync(join(tmpdir(), 'dse-trust-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const layers = fileURLToPath(new URL('../../configs/workloads/residual-cnn.yaml', import.meta.url));

function studyFile(name: string, peRows: number[]): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
workloads: [${JSON.stringify(layers)}]
space: {peRows: ${JSON.stringify(peRows)}, peCols: [8, 16, 32]}
fixed: {clockMHz: 500}
objectives: [latencyS, energyPJ]
search: {algorithm: grid, budget: 6, seed: 1, batchSize: 3}
`,
  );
  return file;
}

/** A run of 6 of the 9 grid designs; its journal. */
async function partialRun(name: string): Promise<string> {
  const dir = join(tmp, name);
  await runStudy(studyFile('trust', [8, 16, 32]), { out: dir, workers: 0, budget: 6 });
  return join(dir, 'journal.jsonl');
}

function lines(journal: string): string[] {
  return readFileSync(journal, 'utf8').trim().split('\n');
}

async function refusedOnResume(journal: string, pattern: RegExp, line: number): Promise<void> {
  await assert.rejects(
    runStudy(undefined, { resume: join(journal, '..'), workers: 0 }),
    (e: unknown) => isDseError(e) && e.file === journal && new RegExp(`^line ${line}: `).test(e.message) && pattern.test(e.message),
  );
}

async function journalWith(name: string, edit: (trials: Record<string, any>[]) => Record<string, any>[]): Promise<string> {
  const journal = await partialRun(name);
  const [header, ...trials] = lines(journal);
  writeFileSync(journal, [header, ...edit(trials.map((l) => JSON.parse(l))).map((t) => JSON.stringify(t))].join('\n') + '\n');
  return journal;
}

test('a forged line whose hash is not its design is refused on resume, naming file and line', async () => {
  const j = await journalWith('forged', (t) => {
    t[1]!.objectives = [1e-12, 1e-12];
    t[1]!.design = { ...t[1]!.design, peCols: 32, peRows: 8 };
    return t;
  });
  await refusedOnResume(j, /not the hash of its design/, 3);
});

test('a design outside the study space is refused even with a matching hash', async () => {
  const j = await journalWith('outside', (t) => {
    t[0]!.design = { ...t[0]!.design, peRows: 4096 };
    t[0]!.hash = designHash(t[0]!.design);
    return t;
  });
  await refusedOnResume(j, /peRows=4096 is not in the study's space/, 2);
});

test('a duplicated line is refused, naming the first copy', async () => {
  const j = await partialRun('dup');
  appendFileSync(j, lines(j)[2]! + '\n');
  await refusedOnResume(j, /already journalled on line 3/, 8);
});

test('a line pasted from a study with another fixed value is refused', async () => {
  const j = await journalWith('pasted', (t) => {
    t[0]!.design = { ...t[0]!.design, clockMHz: 800 };
    t[0]!.hash = designHash(t[0]!.design);
    return t;
  });
  await refusedOnResume(j, /clockMHz=800 differs from the study's fixed 500/, 2);
});

test("status ok with objectives [] is refused at once, not at the end of the resumed run", async () => {
  const j = await journalWith('empty-objectives', (t) => {
    t[2]!.objectives = [];
    return t;
  });
  await refusedOnResume(j, /has 0 objective values, the study has 2/, 4);
});

test('merge checks every journal the same way', async () => {
  const j = await journalWith('merge-forged', (t) => {
    t[0]!.objectives = [0, 0];
    t[0]!.hash = 'ffffffffffffffff';
    return t;
  });
  const good = await partialRun('merge-good');
  assert.throws(() => mergeRuns([join(good, '..'), join(j, '..')], { check: journalTrialCheck }), (e: unknown) => isDseError(e) && e.file === j && /^line 2: hash/.test(e.message));
  assert.equal(mergeRuns([join(good, '..')], { check: journalTrialCheck }).trials.length, 6);
});

/*
 * Reports read journals through a fast reader of their own (results/report/journal-skim.ts);
 * they check each line the same way, so a forged or pasted line cannot change the front a
 * report shows. A bad line refuses the report, naming the file and the line.
 */
async function refusedByReport(journal: string, pattern: RegExp, line: number): Promise<void> {
  await assert.rejects(
    writeReport({ runDirs: [join(journal, '..')], format: 'md', out: join(journal, '..', 'report.md') }),
    (e: unknown) => isDseError(e) && e.file === journal && new RegExp(`^line ${line}: `).test(e.message) && pattern.test(e.message),
  );
}

test('report: a forged line (objectives better than any design, hash not its design) is refused, not put on the front', async () => {
  const j = await journalWith('report-forged', (t) => {
    t[1]!.objectives = [1e-12, 1e-12];
    t[1]!.design = { ...t[1]!.design, peCols: 32, peRows: 8 };
    return t;
  });
  await refusedByReport(j, /not the hash of its design/, 3);
});

test('report: a design outside the space, a pasted line of another fixed value, a duplicate and a wrong objective count are refused', async () => {
  const outside = await journalWith('report-outside', (t) => {
    t[0]!.design = { ...t[0]!.design, peRows: 4096 };
    t[0]!.hash = designHash(t[0]!.design);
    return t;
  });
  await refusedByReport(outside, /peRows=4096 is not in the study's space/, 2);
  const pasted = await journalWith('report-pasted', (t) => {
    t[3]!.design = { ...t[3]!.design, clockMHz: 800 };
    t[3]!.hash = designHash(t[3]!.design);
    return t;
  });
  await refusedByReport(pasted, /clockMHz=800 differs from the study's fixed 500/, 5);
  const dup = await partialRun('report-dup');
  appendFileSync(dup, lines(dup)[2]! + '\n');
  await refusedByReport(dup, /already journalled on line 3/, 8);
  const short = await journalWith('report-short', (t) => {
    t[2]!.objectives = [t[2]!.objectives[0]];
    return t;
  });
  await refusedByReport(short, /has 1 objective values, the study has 2/, 4);
  const infinite = await journalWith('report-infinite', (t) => {
    t[4]!.objectives = [t[4]!.objectives[0], null];
    return t;
  });
  await refusedByReport(infinite, /objective energyPJ is null, not a finite number/, 6);
});

test('report: an untouched journal is reported, with every design counted', async () => {
  const j = await partialRun('report-good');
  const out = await writeReport({ runDirs: [join(j, '..')], format: 'md', out: join(j, '..', 'report.md') });
  assert.match(readFileSync(out, 'utf8'), /^6 trials in 1 run; \d+ designs on the front\./m);
});

test("the check of a design's text as the line holds it agrees with the check of the parsed design", async () => {
  const journal = await partialRun('quick');
  const [headerLine, ...trialLines] = lines(journal);
  const header = JSON.parse(headerLine!);
  // A checker that has read another line first reads a line in that line's parameter order by
  // its remembered shape (dse/journal-trust.ts DesignShape): both readings must agree with the full check.
  const other = JSON.parse(trialLines[1]!);
  const verdict = (fields: { hash: string; design: unknown; status: string; objectives?: number[]; designJson?: string }, primed = false): string => {
    try {
      const check = journalTrialCheck(header, journal);
      if (primed) check({ ...other, designJson: JSON.stringify(other.design) }, 2);
      check(fields as never, 3);
      return 'ok';
    } catch (e) {
      return isDseError(e) ? e.message : `not a DseError: ${e}`;
    }
  };
  const t = JSON.parse(trialLines[0]!);
  const text = JSON.stringify(t.design);
  const mutants = [
    text,
    JSON.stringify(Object.fromEntries(Object.entries(t.design).reverse())),
    text.replace('{', '{ '),
    text.replace(/"peRows":(\d+)/, '"peRows":$1.0'),
    text.replace(/"peRows":(\d+)/, '"peRows":"$1"'),
    text.replace(/"peCols":(\d+)/, '"peCols":$1,"peCols":$1'),
    text.replace(/"peRows":(\d+)/, '"pe\\u0052ows":$1'),
    text.replace('}', ',"x":1}'),
    text.replace(/,?"peCols":\d+/, ''),
    text.replace('}', '} '),
    text.replace('}', ','),
    text.replace(/"peRows":(\d+)/, '"peRows":$1$1'),
    text.slice(0, -1),
    '{}',
  ];
  for (const m of mutants) {
    let design: unknown;
    try {
      design = JSON.parse(m);
    } catch {
      continue;
    }
    for (const hash of [t.hash, designHash(design as never)]) {
      const fields = { hash, status: t.status, objectives: t.objectives, design };
      assert.equal(verdict({ ...fields, designJson: m }), verdict(fields), m);
      assert.equal(verdict({ ...fields, designJson: m }, true), verdict(fields, true), m);
    }
  }
});
