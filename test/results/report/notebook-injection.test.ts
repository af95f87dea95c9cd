import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonStringLiteral, renderNotebook } from '../../../results/report/ipynb.ts';
import type { AnatomyInfo } from '../../../results/report/model.ts';
import { modelOf } from './helpers.ts';
import { plainPython } from './notebook-python.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

/**
 * A study, workload, parameter name and parameter value that each try to end a comment, a
 * string or a line of a notebook code cell and run Python: CR, LF, CRLF, NUL, an ANSI escape,
 * quotes, backslashes, a triple quote. The notebook made from it must parse (Python's `ast`)
 * to exactly the statements of a notebook made from plain names: names may change string
 * constants, never code.
 */
const PAYLOAD = (tag: string): string =>
  `${tag}\r__import__("os").system("touch PWNED-${tag}")\n\r\nimport os; os.system('touch PWNED')\x00\x1b[31m"""'''\\"); exec("print(1)") #\u2028x = 1\ud83d\ude00`;

/** Rewrites a synthetic run with names: the study, its workload, the parameter `dataflow` and its value `os`. */
function renamedRun(dir: string, names: { study: string; workload: string; param: string; value: string }): string {
  const run = writeSyntheticRun(dir, { trials: 400, seed: 4, name: names.study });
  const file = join(run, 'journal.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  const header = lines[0]!;
  header.study.workloads[0].name = names.workload;
  const space = header.study.space;
  space[names.param] = { categorical: [names.value, 'ws', 'is'] };
  delete space.dataflow;
  for (const t of lines.slice(1)) {
    if (!t.design) continue;
    const v = t.design.dataflow;
    delete t.design.dataflow;
    t.design[names.param] = v === 'os' ? names.value : v;
  }
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return run;
}

/** A per-layer anatomy whose workload and layer carry the name (the cost model is not needed to draw one). */
function anatomyNamed(name: string): AnatomyInfo {
  const layer = {
    name, kind: 'conv2d', macs: 1e6, computeCycles: 1000, stallCycles: 10, latencyCycles: 1010, utilization: 0.9, bound: 'compute',
    energyBreakdownPJ: { mac: 1e3, rf: 2e3, sram: 3e3, dram: 4e3, other: 10 }, dramReadBytes: 4096, dramWriteBytes: 1024,
  };
  return {
    reason: 'knee of the front',
    design: { run: 0, seq: 0, hash: 'h', design: {}, objectives: [1, 1, 1], metrics: {} },
    workloads: [{ workload: name, latencyS: 1e-3, energyPJ: 1e4, dramBytes: 5120, utilization: 0.9, layers: [layer, { ...layer, name: 'second' }], fusionGroups: [[name, 'second']] }],
    error: null,
  };
}

/** Each code cell's AST with every string constant blanked (so two notebooks compare by their code alone). */
const AST_SHAPE = `
import ast, json, sys
nb = json.load(open(sys.argv[1], encoding="utf-8"))
shapes = []
for cell in nb["cells"]:
    if cell["cell_type"] != "code":
        continue
    tree = ast.parse("".join(cell["source"]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    shapes.append(ast.dump(tree))
print(json.dumps(shapes))
`;

test('names with CR/LF/NUL/ANSI escapes and Python code never become code in the notebook (ast of every cell)', (t) => {
  const py = plainPython();
  if ('skip' in py) return void t.skip(py.skip);
  const dir = mkdtempSync(join(tmpdir(), 'nb-inject-'));
  try {
    const hostile = renamedRun(join(dir, 'hostile'), { study: PAYLOAD('study'), workload: PAYLOAD('workload'), param: PAYLOAD('param'), value: PAYLOAD('value') });
    const plain = renamedRun(join(dir, 'plain'), { study: 'study', workload: 'workload', param: 'param', value: 'value' });
    const shapes = (run: string, out: string): string[] => {
      const file = join(dir, out);
      const name = out === 'hostile.ipynb' ? PAYLOAD('layer') : 'layer';
      writeFileSync(file, renderNotebook(modelOf([run], { anatomy: anatomyNamed(name) }), { notebookDir: dir }));
      const r = spawnSync(py.python, ['-c', AST_SHAPE, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(r.status, 0, `a code cell does not parse: ${r.stderr.slice(-2000)}`);
      return JSON.parse(r.stdout) as string[];
    };
    const hostileShapes = shapes(hostile, 'hostile.ipynb');
    const plainShapes = shapes(plain, 'plain.ipynb');
    assert.ok(hostileShapes.length >= 10, `${hostileShapes.length} code cells`);
    assert.deepEqual(hostileShapes, plainShapes, 'the hostile names changed the code of some cell');
    // The names are in the notebook, as data (one JSON string literal), and no control character reaches any cell raw.
    const nb = JSON.parse(readFileSync(join(dir, 'hostile.ipynb'), 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    assert.ok(code.some((c) => c.includes('touch PWNED-param')) && code.some((c) => c.includes('touch PWNED-value')), 'the parameter name and value are carried, escaped');
    for (const c of nb.cells.map((x) => x.source.join(''))) assert.doesNotMatch(c, /[\x00\r\x1b\u2028]/, 'a raw control character in a cell');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pythonStringLiteral: printable ASCII that Python reads back as the same text', (t) => {
  const py = plainPython();
  if ('skip' in py) return void t.skip(py.skip);
  const samples = [PAYLOAD('x'), '', '"', '\\', '\\u0041', "'''", '\u2028\u2029\u0085', 'é漢字🙂', '\ud800 lone'];
  const literals = samples.map(pythonStringLiteral);
  for (const l of literals) assert.match(l, /^"[\x20-\x7e]*"$/);
  const r = spawnSync(py.python, ['-c', 'import ast, json, sys\nprint(json.dumps([ast.literal_eval(l) for l in json.load(sys.stdin)], ensure_ascii=True))'], {
    input: JSON.stringify(literals), encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  // Lone surrogates survive as \\ud800 in both; compare the JSON texts.
  assert.equal(r.stdout.trim(), JSON.stringify(samples).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).replace(/,/g, ', '));
});
