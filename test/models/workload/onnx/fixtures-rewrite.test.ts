import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The ONNX fixtures are committed together with the script that wrote them
 * (data/write_fixtures.py, Python's onnx package). Where that package is installed (CI's
 * .venv-ci, or ONNX_PYTHON), the script runs again and must give the same MACs from onnx's shape
 * inference and, with the onnx version that wrote them (recorded in expected.json), the same
 * files byte for byte (another version may stamp a different IR version into the files).
 */
const DATA = fileURLToPath(new URL('./data/', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

function pythonWithOnnx(): string | null {
  const candidates = [process.env.ONNX_PYTHON, join(REPO, '.venv-ci', 'bin', 'python'), 'python3'].filter((p): p is string => !!p && (p === 'python3' || existsSync(p)));
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import onnx'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

const python = pythonWithOnnx();

test('write_fixtures.py re-writes the committed ONNX fixtures byte for byte', { skip: python ? false : "Python's onnx package is not installed (pip install onnx, or set ONNX_PYTHON)" }, () => {
  const out = mkdtempSync(join(tmpdir(), 'dse-onnx-fixtures-'));
  const r = spawnSync(python!, [join(DATA, 'write_fixtures.py'), out], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const expected = (dir: string): { onnx: string; models: unknown } => JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { onnx: string; models: unknown };
  assert.deepEqual(expected(out).models, expected(DATA).models);
  const committed = readdirSync(DATA).filter((f) => f.endsWith('.onnx')).sort();
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.onnx')).sort(), committed);
  if (expected(out).onnx !== expected(DATA).onnx) return;
  for (const f of committed) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(DATA, f))), f);
});
