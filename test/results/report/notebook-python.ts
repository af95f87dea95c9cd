/**
 * Finding a Python for the notebook tests: `python3` for parsing cells (the standard library's
 * `ast`), and a Python with nbclient, ipykernel, pandas and plotly for executing a notebook:
 * the CI's venv (`.venv-ci/`, made by .ci/run) or ACCEL_DSE_NOTEBOOK_PYTHON. Each returns the
 * reason it cannot, for the test to skip with.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function plainPython(): { python: string } | { skip: string } {
  const r = spawnSync('python3', ['-c', 'import ast, json'], { encoding: 'utf8' });
  return r.status === 0 ? { python: 'python3' } : { skip: 'python3 is not installed' };
}

export function notebookPython(): { python: string } | { skip: string } {
  const candidates = [process.env.ACCEL_DSE_NOTEBOOK_PYTHON, join(repo, '.venv-ci/bin/python')].filter((p): p is string => !!p && existsSync(p));
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import nbclient, nbformat, ipykernel, pandas, plotly'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  return { skip: 'no Python with nbclient, ipykernel, pandas and plotly (.ci/run makes one in .venv-ci/; or set ACCEL_DSE_NOTEBOOK_PYTHON)' };
}

/** Executes a notebook headless with nbclient, in `cwd`; returns the executed notebook's JSON text, or the error. */
export function executeNotebook(python: string, notebookFile: string, cwd: string): { ok: true; notebook: string } | { ok: false; error: string } {
  const script = [
    'import sys, nbformat',
    'from nbclient import NotebookClient',
    'nb = nbformat.read(sys.argv[1], as_version=4)',
    "NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()",
    'sys.stdout.write(nbformat.writes(nb))',
  ].join('\n');
  const r = spawnSync(python, ['-c', script, notebookFile, cwd], { encoding: 'utf8', cwd, maxBuffer: 1 << 28, timeout: 400_000 });
  if (r.status !== 0) return { ok: false, error: (r.stderr || r.error?.message || 'failed').split('\n').filter((l) => !l.includes('WARNING')).slice(-30).join('\n') };
  return { ok: true, notebook: r.stdout };
}

export { repo };
