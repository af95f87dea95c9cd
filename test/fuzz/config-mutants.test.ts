import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { exitFor } from '../../dse/cli-exit.ts';
import { loadStudy } from '../../dse/load-study.ts';
import { createEvalContext, evaluateDesign } from '../../dse/evaluate-design.ts';
import { designAt } from '../../search/space.ts';
import { loadHardwareFile } from '../../models/hardware-file.ts';
import { DEFAULT_HARDWARE } from '../../models/hardware.ts';
import { loadWorkload } from '../../models/workload/load-workload.ts';
import { evaluateWorkload } from '../../models/cost/evaluate.ts';
import { readBaseline } from '../../results/baseline.ts';
import { readFront } from '../../results/run-outputs.ts';
import { MAX_TERMINAL_LINE } from '../../core/inert-text.ts';
import { runCli } from '../e2e/cli-helpers.ts';

/*
 * Mutants of every config in configs/ (studies, hardware, workloads, baselines, fronts), made
 * by a seeded generator: values replaced by hostile ones (huge, tiny, negative, non-numbers,
 * control characters, 100,000 characters), keys deleted or added (also __proto__), list items
 * repeated, text cut or salted with bytes. Each must end as the CLI would end it with exit 2
 * and one short, inert line, or succeed with finite metrics; never an internal error (exit
 * 70, a stack trace). Most run in-process through the CLI's own error mapping (exitFor); a
 * few go through the real binary.
 */
const root = fileURLToPath(new URL('../../configs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'dse-fuzz-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

type Kind = 'study' | 'hardware' | 'workload' | 'baseline' | 'front';
function kindOf(file: string, data: unknown): Kind | undefined {
  const rel = relative(root, file);
  if (rel.endsWith('.baseline.json')) return 'baseline';
  if (rel.endsWith('.front.json')) return 'front';
  if (rel.startsWith('hardware')) return 'hardware';
  if (rel.startsWith('workloads')) return 'workload';
  if (data && typeof data === 'object' && 'space' in data && 'objectives' in data) return 'study';
  return undefined;
}

interface Seed {
  file: string;
  kind: Kind;
  ext: string;
  text: string;
  data: unknown;
}

/** Relative workload and architecture files of a study made absolute, so a mutant written elsewhere still finds them. */
function absolutize(data: unknown, dir: string): unknown {
  const s = data as { workloads?: unknown[]; architecture?: unknown };
  if (typeof s.architecture === 'string' && !s.architecture.startsWith('/')) s.architecture = resolve(dir, s.architecture);
  if (Array.isArray(s.workloads)) {
    s.workloads = s.workloads.map((w) => {
      const abs = (n: string): string => (/[./]/.test(n) && !n.startsWith('/') ? resolve(dir, n) : n);
      if (typeof w === 'string') return abs(w);
      if (w && typeof w === 'object' && typeof (w as { name?: unknown }).name === 'string') return { ...(w as object), name: abs((w as { name: string }).name) };
      return w;
    });
  }
  return data;
}

const seeds: Seed[] = walk(root).flatMap((file) => {
  const ext = extname(file);
  const text = readFileSync(file, 'utf8');
  if (ext === '.csv' || ext === '.cfg') return [{ file, kind: ext === '.csv' ? 'workload' : 'hardware', ext, text, data: undefined } as Seed];
  if (!['.yaml', '.yml', '.json'].includes(ext)) return [];
  const data = (ext === '.json' ? JSON.parse(text) : parseYaml(text)) as unknown;
  const kind = kindOf(file, data);
  if (!kind) return [];
  return [{ file, kind, ext, text, data: kind === 'study' ? absolutize(data, dirname(file)) : data }];
});


// ---- mutations ----

const hostile = fc.oneof(
  fc.constantFrom<unknown>(0, -1, 1e308, -1e308, 5e-324, 1e-300, 2 ** 53 + 1, 0.5, -0, '', '..', '=1+1', '@SUM(A1)', '__proto__', '\u001b[2J\u0000\r\n', 'x'.repeat(100_000), null, true, [], {}, [1, 'a'], { max: -1 }),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
);

interface Mutation {
  at: number;
  op: 'replace' | 'delete' | 'addKey' | 'repeat';
  value: unknown;
  key: string;
}
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('replace', 'replace', 'replace', 'delete', 'addKey', 'repeat'),
  value: hostile,
  key: fc.constantFrom('__proto__', 'colour', 'peRows', 'min', 'max', 'budget', 'constructor'),
});

/** Every container slot of a JSON tree: [container, key]. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push([v as Record<string, unknown>, k]), slots((v as Record<string, unknown>)[k], out);
  return out;
}

function mutate(data: unknown, muts: Mutation[]): unknown {
  const copy = JSON.parse(JSON.stringify(data)) as unknown;
  for (const m of muts) {
    const all = slots(copy);
    if (all.length === 0) break;
    const [c, k] = all[m.at % all.length]!;
    if (m.op === 'replace') (c as Record<string | number, unknown>)[k] = m.value;
    else if (m.op === 'delete') Array.isArray(c) ? c.splice(k as number, 1) : delete (c as Record<string, unknown>)[k as string];
    else if (m.op === 'repeat' && Array.isArray(c)) c.push(c[k as number]);
    else if (!Array.isArray(c)) Object.defineProperty(c, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** A text-level glitch: cut the text, or put a byte somewhere. */
const glitch = fc.option(fc.record({ at: fc.nat(), cut: fc.boolean(), byte: fc.integer({ min: 0, max: 255 }) }), { freq: 4 });

function render(seed: Seed, data: unknown, g: { at: number; cut: boolean; byte: number } | null, muts: Mutation[]): string {
  let text: string;
  if (seed.data === undefined) {
    // CSV or .cfg: mutate a cell of the text.
    const lines = seed.text.split('\n');
    const m = muts[0]!;
    const row = m.at % lines.length;
    const cells = lines[row]!.split(/([,=])/);
    cells[(m.at >> 3) % cells.length] = String(m.value);
    lines[row] = cells.join('');
    text = lines.join('\n');
  } else {
    text = seed.ext === '.json' ? JSON.stringify(data) : toYaml(data);
  }
  if (g) {
    const at = g.at % (text.length + 1);
    text = g.cut ? text.slice(0, at) : text.slice(0, at) + String.fromCharCode(g.byte) + text.slice(at);
  }
  return text;
}

// ---- running one mutant the way the CLI would ----

async function consume(kind: Kind, file: string): Promise<void> {
  if (kind === 'study') {
    const study = loadStudy(file);
    const ctx = createEvalContext(study.spec);
    const design = designAt(study.parameters, study.fixed, 0);
    const o = await evaluateDesign(ctx, design);
    if (o.status !== 'failed') for (const [k, v] of Object.entries(o.metrics ?? {})) assert.ok(Number.isFinite(v), `metric ${k} = ${v}`);
    else assert.ok(!/\n/.test(o.error ?? ''), o.error);
  } else if (kind === 'hardware') {
    const hw = loadHardwareFile(file);
    finite(evaluateWorkload(hw, smallWorkload));
  } else if (kind === 'workload') {
    finite(evaluateWorkload({ ...DEFAULT_HARDWARE }, loadWorkload(file)));
  } else if (kind === 'baseline') {
    readBaseline(file);
  } else {
    readFront(file);
  }
}

const smallWorkload = loadWorkload(join(root, 'workloads', 'residual-cnn.yaml'));

function finite(m: { latencyS: number; energyPJ: number; areaMM2: number; dramBytes: number; quantError: number }): void {
  for (const k of ['latencyS', 'energyPJ', 'areaMM2', 'dramBytes', 'quantError'] as const) assert.ok(Number.isFinite(m[k]), `${k} = ${m[k]}`);
}

function assertUserError(text: string, what: string): void {
  assert.match(text, /^error: /, what);
  assert.equal(text.indexOf('\n'), text.length - 1, `one line: ${what}\n${text}`);
  assert.ok(text.length <= MAX_TERMINAL_LINE + 200, `bounded (${text.length}): ${what}`);
  assert.doesNotMatch(text.slice(0, -1), /[\u0000-\u001f\u007f]/, `inert: ${what}`);
}

/** Longest a mutant may take (a hang would show as far more). */
const PER_CASE_MS = 20_000;

const arbitraryMutant = fc.record({
  seed: fc.constantFrom(...seeds),
  muts: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  g: glitch,
});

test(`${seeds.length} configs x seeded mutants: exit 2 with one inert line, or finite metrics; never an internal error`, async () => {
  assert.ok(seeds.length >= 10, `configs found: ${seeds.map((s) => basename(s.file)).join(', ')}`);
  let n = 0;
  const outcomes = { ok: 0, userError: 0 };
  await fc.assert(
    fc.asyncProperty(arbitraryMutant, async ({ seed, muts, g }) => {
      const file = join(tmp, `m${n++}-${basename(seed.file)}`);
      writeFileSync(file, render(seed, seed.data === undefined ? undefined : mutate(seed.data, muts), g, muts));
      const started = performance.now();
      try {
        await consume(seed.kind, file);
        outcomes.ok++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        const { code, text } = exitFor(e);
        assert.equal(code, 2, `internal error on a mutant of ${basename(seed.file)}:\n${text}`);
        assertUserError(text, basename(seed.file));
        outcomes.userError++;
      }
      assert.ok(performance.now() - started < PER_CASE_MS, `a mutant of ${basename(seed.file)} took ${Math.round(performance.now() - started)} ms`);
    }),
    { seed: 15, numRuns: 400, timeout: PER_CASE_MS, endOnFailure: true },
  );
  // Both outcomes are exercised, or the generator is too gentle or too rough.
  assert.ok(outcomes.ok >= 10 && outcomes.userError >= 100, JSON.stringify(outcomes));
});

test('a handful of mutants through the real binary give exit 2 and one line', () => {
  const study = seeds.find((s) => s.kind === 'study')!;
  const cases: [string, unknown][] = [
    ['proto', { ...(study.data as object), space: JSON.parse('{"__proto__": [1]}') }],
    ['huge', { ...(study.data as object), name: 'x'.repeat(200_000) + '\u001b[2J', space: { peRows: [0] } }],
    ['absurd', { ...(study.data as object), fixed: { dramGBps: 5e-324 } }],
  ];
  for (const [name, data] of cases) {
    const file = join(tmp, `bin-${name}.json`);
    writeFileSync(file, JSON.stringify(data));
    const r = runCli(['validate', file], { timeoutMs: 60_000 });
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assertUserError(r.stderr, name);
  }
});
