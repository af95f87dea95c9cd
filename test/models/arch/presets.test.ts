import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gemminiLike } from '../../../models/arch/presets.ts';
import { evaluateMapping } from '../../../models/arch/mapping-model.ts';
import { parseMappingString } from '../../../models/arch/mapping-string.ts';

// Accelergy's per-config areas for DOSA's 95 Gemmini configs (test/golden/data/dosa/SOURCE.md).
const csv = readFileSync(fileURLToPath(new URL('../../golden/data/dosa/accelergy-area-table.csv', import.meta.url)), 'utf8').trim().split('\n');
const cols = csv[0]!.split(',');
const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, Number(v)])));

test("gemmini-like area without an ART: within 6% (median) and 25% (worst) of Timeloop's on the 95 configs", () => {
  const errs = rows.map((r) => {
    const arch = gemminiLike({ peDim: r.pe_dim!, scratchpadKiB: r.scratchpad_bytes! / 1024, accumulatorKiB: r.accumulator_bytes! / 1024 });
    const layer = { N: 1, C: 1, K: 1, P: 1, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 };
    const a = evaluateMapping(arch, layer, parseMappingString('L3[WIO] N1 - L2[WI] N1 - L1[O] N1 - L0[W] N1', 4)).areaMM2;
    return Math.abs(a / r.area_mm2_timeloop! - 1);
  });
  errs.sort((a, b) => a - b);
  assert.ok(errs[Math.floor(errs.length / 2)]! <= 0.06, `median ${errs[Math.floor(errs.length / 2)]}`);
  assert.ok(errs[errs.length - 1]! <= 0.25, `worst ${errs[errs.length - 1]}`);
});

test('gemmini-like rejects an accumulator that does not split into its columns', () => {
  assert.throws(() => gemminiLike({ peDim: 128, scratchpadKiB: 1, accumulatorKiB: 0.25 }), /accumulatorKiB/);
});
