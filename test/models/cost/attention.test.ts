/**
 * Attention traffic against the I/O facts of FlashAttention (Dao et al., NeurIPS 2022) and the
 * lower bound of Saha & Ye (2024), as stated in those papers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { attentionTraffic, flashAttention1Elements, standardAttentionElements } from '../../../models/cost/attention.ts';

// N, d, M, FlashAttention Algorithm 1 elements, standard elements, N^2 d^2 / M (rounded).
const TABLE: Array<[number, number, number, number, number, number]> = [
  [1024, 64, 16384, 3_342_336, 4_456_448, 262_144],
  [4096, 64, 98304, 9_355_264, 68_157_440, 699_051],
  [4096, 128, 98304, 36_012_032, 69_206_016, 2_796_203],
];

for (const [n, d, m, flash, standard, bound] of TABLE) {
  test(`reference table N=${n} d=${d} M=${m}`, () => {
    assert.equal(flashAttention1Elements(n, d, m), flash);
    assert.equal(standardAttentionElements(n, d), standard);
    assert.equal(Math.round((n * n * d * d) / m), bound);
    const t = attentionTraffic({ seqQ: n, seqKV: n, headDim: d }, m);
    const total = t.readElements + t.writeElements;
    // Our choice is the cheapest schedule that fits, so never worse than Algorithm 1 or standard.
    assert.ok(total <= flash && total <= standard);
    assert.ok(total >= 4 * n * d);
    if (t.schedule === 'flash1') assert.equal(total, flash);
    if (t.schedule === 'standard') assert.equal(total, standard);
  });
}

test('Algorithm 1 is what the model charges when it is the only tiled schedule that fits', () => {
  // M = 4d is enough for Algorithm 1 (B_c = 1), but not for a flash2 block (2 d^2 + ... > 4d elements
  // with B_c = d), nor for K and V whole, nor for a row of S (N > M): Algorithm 1 is the only option.
  const n = 512, d = 64, m = 4 * d;
  const t = attentionTraffic({ seqQ: n, seqKV: n, headDim: d }, m);
  assert.equal(t.schedule, 'flash1');
  assert.equal(t.readElements + t.writeElements, flashAttention1Elements(n, d, m));
});

test('compulsory traffic (4Nd) once K and V fit on chip', () => {
  const n = 128, d = 64;
  const t = attentionTraffic({ seqQ: n, seqKV: n, headDim: d }, 2 * n * d + 2 * d + n + 2);
  assert.equal(t.schedule, 'kvResident');
  assert.equal(t.readElements + t.writeElements, 4 * n * d);
});

test('traffic stays within the I/O bounds and never grows with on-chip memory', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4096 }),
      fc.integer({ min: 1, max: 4096 }),
      fc.constantFrom(16, 32, 64, 128),
      fc.integer({ min: 1, max: 1 << 22 }),
      fc.integer({ min: 1, max: 1 << 20 }),
      (nq, nkv, d, m, extra) => {
        const a = attentionTraffic({ seqQ: nq, seqKV: nkv, headDim: d }, m);
        const b = attentionTraffic({ seqQ: nq, seqKV: nkv, headDim: d }, m + extra);
        const ta = a.readElements + a.writeElements;
        const tb = b.readElements + b.writeElements;
        const lower = 2 * nq * d + 2 * nkv * d;
        assert.ok(ta >= lower && tb >= lower);
        // Once a row of S fits, never more than standard attention (4Nd + 4N^2 for N_q = N_kv).
        if (nkv <= m) assert.ok(ta <= lower + 4 * nq * nkv);
        assert.ok(tb <= ta, `${tb} > ${ta}`);
      },
    ),
    { numRuns: 500 },
  );
});

test('resident K and V cost no traffic', () => {
  const t = attentionTraffic({ seqQ: 512, seqKV: 512, headDim: 64 }, 4096, { q: false, k: true, v: true, o: false });
  assert.equal(t.readElements + t.writeElements, 2 * 512 * 64);
});
