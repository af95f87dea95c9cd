import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { studyFromObject } from '../../dse/load-study.ts';
import { loadHardwareFile } from '../../models/hardware-file.ts';
import { REPO_ROOT } from '../e2e/cli-helpers.ts';

const DOCS = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

test('every relative link of the README and docs/ leads to a file, and docs/README.md indexes every document', () => {
  const broken: string[] = [];
  for (const doc of DOCS) {
    for (const m of readFileSync(join(REPO_ROOT, doc), 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      if (!existsSync(join(REPO_ROOT, dirname(doc), target))) broken.push(`${doc} -> ${target}`);
    }
  }
  assert.deepEqual(broken, []);
  const index = readFileSync(join(REPO_ROOT, 'docs', 'README.md'), 'utf8');
  for (const doc of DOCS.filter((d) => d.startsWith('docs/') && d !== 'docs/README.md')) {
    assert.ok(index.includes(`(${doc.slice('docs/'.length)})`), `docs/README.md does not list ${doc}`);
  }
});

test("the README's example study and hardware file are valid as written", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const study = blocks.find((b) => /^name: /m.test(b) && /^space:/m.test(b));
  assert.ok(study, 'the README has a study example');
  const s = studyFromObject(parse(study), { baseDir: REPO_ROOT });
  assert.ok(s.spec.mixedPrecision, 'the example shows mixedPrecision');
  const hardware = blocks.find((b) => b.startsWith('# configs/hardware/'));
  assert.ok(hardware, 'the README shows a hardware file');
  const file = hardware.split('\n')[0]!.slice(2).trim();
  const shown = parse(hardware) as Record<string, unknown>;
  // The block is the file it names, field for field.
  assert.deepEqual(loadHardwareFile(join(REPO_ROOT, file)), { ...loadHardwareFile(join(REPO_ROOT, file)), ...shown });
});
