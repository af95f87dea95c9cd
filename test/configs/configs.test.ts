import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataFile } from '../../core/data-file.ts';
import { loadStudy } from '../../dse/load-study.ts';
import { loadHardwareFile } from '../../models/hardware-file.ts';
import { loadWorkload } from '../../models/workload/load-workload.ts';
import { loadArchitectureFile } from '../../models/arch/architecture-file.ts';
import { findBestMapping } from '../../models/arch/mapper.ts';
import { checkMapping } from '../../models/arch/validate-mapping.ts';

const root = fileURLToPath(new URL('../../configs', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** What a config file is, by where it lives and what it holds. */
function kindOf(file: string): 'study' | 'hardware' | 'architecture' | 'workload' | 'data' {
  const rel = relative(root, file);
  if (/\.arch\.ya?ml$/.test(file)) return 'architecture';
  if (/\.cfg$/.test(file) || rel.startsWith('hardware/')) return 'hardware';
  if (rel.startsWith('workloads/')) return 'workload';
  if (/\.(ya?ml|json)$/.test(file)) {
    const data = readDataFile(file) as Record<string, unknown> | null;
    if (data && typeof data === 'object' && 'space' in data && 'objectives' in data) return 'study';
  }
  return 'data';
}

const files = walk(root).sort();

test('configs/ holds studies, hardware and workloads', () => {
  assert.ok(files.some((f) => kindOf(f) === 'study'));
  assert.ok(files.includes(join(root, 'quickstart.yaml')));
});

for (const file of files) {
  const kind = kindOf(file);
  if (kind === 'data') continue;
  test(`${relative(root, file)} is a valid ${kind}`, () => {
    if (kind === 'study') {
      const s = loadStudy(file);
      assert.ok(s.spaceSize >= 1);
    } else if (kind === 'architecture') {
      // An architecture file: it loads, and the mapper maps a ResNet-style 3x3 layer onto it.
      const arch = loadArchitectureFile(file);
      const layer = { N: 1, C: 64, K: 64, P: 14, Q: 14, R: 3, S: 3, strideW: 1, strideH: 1 };
      const r = findBestMapping(arch, layer, 'edp');
      const cost = checkMapping(arch, layer, r.mapping);
      assert.ok(cost.cycles >= (64 * 64 * 14 * 14 * 9) / arch.compute.instances && cost.energyPJ > 0);
    } else if (kind === 'hardware') {
      const hw = loadHardwareFile(file);
      assert.ok(hw.peRows > 0 && hw.peCols > 0);
    } else {
      const w = loadWorkload(file);
      assert.ok(w.ops.length > 0);
    }
  });
}
