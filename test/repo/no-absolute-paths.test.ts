import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../e2e/cli-helpers.ts';

/**
 * A user's clone has none of the development machine's folders: no file of the repository
 * may name one (a test reading one fails with ENOENT elsewhere; a doc naming one misleads).
 */
const MACHINE_PATH = new RegExp(['(^|[^A-Za-z0-9_.-])/' + 'work/', '/' + 'home/[a-z]', '/' + 'Users/', '/' + 'root/', 'shared/' + 'reference', '\\.\\./' + 'shared'].join('|'));

test('no file of the repository names an absolute path of the development machine', (t) => {
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) {
    t.skip('not a git checkout: no file list to check');
    return;
  }
  const offenders: string[] = [];
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (file === 'package-lock.json' || /\.(onnx|png|svg|gz)$/.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(join(REPO_ROOT, file), 'utf8');
    } catch {
      continue; // listed but deleted in the working tree
    }
    text.split('\n').forEach((line, i) => {
      if (MACHINE_PATH.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(offenders, []);
});
