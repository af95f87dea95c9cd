import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStudy, studyFromObject } from '../../dse/load-study.ts';
import { isDseError } from '../../core/errors.ts';
import { expandDomain } from '../../dse/study-space.ts';

const base = {
  name: 't',
  workloads: ['resnet18'],
  space: { peRows: { pow2: { min: 8, max: 64 } }, dataflow: { categorical: ['os', 'ws'] } },
  objectives: ['latencyS', 'energyPJ'],
};

function errorOf(raw: unknown): { path: string; message: string } {
  try {
    studyFromObject(raw);
  } catch (e) {
    assert.ok(isDseError(e), `expected a DseError, got ${String(e)}`);
    return { path: e.path, message: e.message };
  }
  assert.fail('expected the study to be rejected');
}

test('domains expand in order: values, int with step, powers of two, categorical', () => {
  assert.deepEqual(expandDomain('a', [3, 1, 2]), [3, 1, 2]);
  assert.deepEqual(expandDomain('a', { int: { min: 4, max: 16, step: 4 } }), [4, 8, 12, 16]);
  assert.deepEqual(expandDomain('a', { pow2: { min: 6, max: 64 } }), [8, 16, 32, 64]);
  assert.deepEqual(expandDomain('a', { categorical: ['os', 'ws'] }), ['os', 'ws']);
  assert.throws(() => expandDomain('a', [1, 1]), /appears twice/);
});

test('a valid study normalises with defaults and a stable hash', () => {
  const a = studyFromObject(base);
  const b = studyFromObject(JSON.parse(JSON.stringify(base)));
  assert.equal(a.spaceSize, 8);
  assert.equal(a.spec.search.algorithm, 'random');
  assert.equal(a.hash, b.hash);
  const c = studyFromObject(base, { overrides: { seed: 9 } });
  assert.notEqual(a.hash, c.hash);
  assert.equal(c.spec.search.seed, 9);
});

test('bad studies name the field', () => {
  assert.equal(errorOf({ ...base, extra: 1 }).path, '');
  assert.match(errorOf({ ...base, extra: 1 }).message, /unknown key 'extra'/);
  assert.equal(errorOf({ ...base, space: { peRowz: [8] } }).path, 'space.peRowz');
  assert.equal(errorOf({ ...base, space: { peRows: { pow2: { min: 'a', max: 8 } } } }).path, 'space.peRows.pow2.min');
  assert.equal(errorOf({ ...base, space: { peRows: { pow2: { min: 64, max: 8 } } } }).path, 'space.peRows.pow2.max');
  assert.equal(errorOf({ ...base, space: { dataflow: { categorical: ['os', 'xy'] } } }).path, 'space.dataflow');
  assert.equal(errorOf({ ...base, space: { peRows: [0, 8] } }).path, 'space.peRows');
  assert.equal(errorOf({ ...base, objectives: ['speed'] }).path, 'objectives.0');
  assert.equal(errorOf({ ...base, workloads: ['resnet19'] }).path, 'workloads.0');
  assert.equal(errorOf({ ...base, constraints: { 'peRows*foo': { max: 3 } } }).path, 'constraints.peRows*foo');
  assert.equal(errorOf({ ...base, search: { budget: 0 } }).path, 'search.budget');
  assert.equal(errorOf({ ...base, fixed: { peRows: 8 } }).path, 'fixed.peRows');
  assert.equal(errorOf({ ...base, space: { ...base.space, glbKiB: [64, 128] }, fixed: { ifmapSramKiB: 32 } }).path, 'fixed.ifmapSramKiB');
});

test('a study file: YAML errors and missing files name the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-study-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'name: x\nworkloads: [resnet18\n');
  assert.throws(() => loadStudy(bad), (e: unknown) => isDseError(e) && e.file === bad && /malformed/.test(e.message));
  assert.throws(() => loadStudy(join(dir, 'nope.yaml')), (e: unknown) => isDseError(e) && e.code === 'file_not_found');
  const invalid = join(dir, 'invalid.yaml');
  writeFileSync(invalid, 'name: x\nworkloads: [resnet18]\nspace: {peRows: [8]}\nobjectives: [latencyS]\nsearch: {budjet: 3}\n');
  assert.throws(() => loadStudy(invalid), (e: unknown) => isDseError(e) && e.file === invalid && e.path === 'search' && /budjet/.test(e.message));
});

test('searcher settings are checked when the study is loaded', () => {
  assert.equal(errorOf({ ...base, search: { algorithm: 'annealing' } }).path, 'search.algorithm');
  const e = errorOf({ ...base, search: { algorithm: 'nsga2', options: { popSize: 3 } } });
  assert.match(e.path, /^search\.options/);
});
