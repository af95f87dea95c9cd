import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStudy, studyFromObject } from '../../dse/load-study.ts';
import { toolVersion } from '../../dse/version.ts';
import { problemHash } from '../../results/problem-hash.ts';

/*
 * The problem hash of a study that names files must not depend on where they live (a baseline
 * committed in one clone is checked in another, or on a CI runner), and must change when what
 * the files say changes.
 */

const CONFIGS = fileURLToPath(new URL('../../configs/', import.meta.url));

/** Writes `files` (relative path -> text) under a fresh folder `depth` levels below a temp dir. */
function tree(root: string, sub: string, files: Record<string, string>): string {
  const dir = join(root, sub);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const layerStudy = `name: files
workloads: [nets/residual-cnn.yaml, resnet18]
space: {peRows: [8, 16], dataflow: {categorical: [os, ws]}}
objectives: [latencyS, energyPJ]
search: {algorithm: grid, budget: 4}
`;

test('a study with a workload file has one problem hash wherever the two files are; editing a layer changes it, reformatting does not', () => {
  const root = mkdtempSync(join(tmpdir(), 'dse-problem-'));
  try {
    const layers = readFileSync(join(CONFIGS, 'workloads/residual-cnn.yaml'), 'utf8');
    const a = loadStudy(join(tree(root, 'a', { 'study.yaml': layerStudy, 'nets/residual-cnn.yaml': layers }), 'study.yaml'));
    const b = loadStudy(join(tree(root, 'elsewhere/deeper/b', { 'study.yaml': layerStudy, 'nets/residual-cnn.yaml': layers }), 'study.yaml'));
    assert.notEqual(a.spec.workloads[0]!.name, b.spec.workloads[0]!.name, 'the normalised studies name the files by absolute path');
    assert.match(a.problemHash, /^[0-9a-f]{16}$/);
    assert.equal(b.problemHash, a.problemHash);

    // Comments, line endings and key order are not the problem.
    const reformatted = ('# a comment\n' + layers.replace('name: residual-cnn\n', '') + 'name: residual-cnn\n').replace(/\n/g, '\r\n');
    const c = loadStudy(join(tree(root, 'c', { 'study.yaml': layerStudy, 'nets/residual-cnn.yaml': reformatted }), 'study.yaml'));
    assert.equal(c.problemHash, a.problemHash);

    const wider = layers.replace('inFeatures: 32, outFeatures: 10', 'inFeatures: 32, outFeatures: 100');
    assert.notEqual(wider, layers);
    const d = loadStudy(join(tree(root, 'd', { 'study.yaml': layerStudy, 'nets/residual-cnn.yaml': wider }), 'study.yaml'));
    assert.notEqual(d.problemHash, a.problemHash, 'another layer is another problem');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an architecture study has one problem hash wherever its architecture and table files are; the architecture, its tables and the mapper settings change it', () => {
  const root = mkdtempSync(join(tmpdir(), 'dse-problem-arch-'));
  try {
    const study = `name: arch
architecture: hw/eyeriss.arch.yaml
workloads: [nets/macs.yaml]
space: {levels.shared_glb.capacityKiB: [64, 128]}
objectives: [latencyS, energyPJ]
search: {algorithm: grid, budget: 2}
`;
    const arch = readFileSync(join(CONFIGS, 'hardware/eyeriss-like.arch.yaml'), 'utf8').replace('  pricing: builtin-45nm\n', '  pricing: builtin-45nm\n  tables: [tables/prices.yaml]\n');
    assert.match(arch, /tables: \[tables\/prices.yaml\]/);
    const prices = 'components:\n  shared_glb: {read: 30, fill: 31, update: 31}\n';
    const files = (table: string, archText = arch, studyText = study): Record<string, string> => ({
      'study.yaml': studyText,
      'hw/eyeriss.arch.yaml': archText,
      'hw/tables/prices.yaml': table,
      'nets/macs.yaml': readFileSync(join(CONFIGS, 'workloads/residual-cnn.yaml'), 'utf8'),
    });
    const load = (sub: string, f: Record<string, string>): string => loadStudy(join(tree(root, sub, f), 'study.yaml')).problemHash;
    const a = load('a', files(prices));
    assert.equal(load('x/y/b', files(prices)), a);
    assert.notEqual(load('c', files(prices.replace('read: 30', 'read: 40'))), a, 'a repriced level is another problem');
    assert.notEqual(load('d', files(prices, arch.replace('capacityWords: 65536', 'capacityWords: 32768'))), a, 'another architecture');
    assert.notEqual(load('e', files(prices, arch, study + 'mapper: {objective: latency}\n')), a, 'other mapper settings');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a study of zoo networks keeps the problem hash of its normalised study (files alone are hashed by content)', () => {
  const s = studyFromObject({ name: 'zoo', workloads: ['resnet18'], space: { peRows: [8, 16] }, objectives: ['latencyS'] });
  assert.equal(s.problemHash, problemHash(s.spec, toolVersion()));
});
