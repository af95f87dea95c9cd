import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tileLayer, type Buffers, type TilingProblem } from '../../../models/cost/tiling.ts';

const problemArb = fc
  .record({
    groups: fc.constantFrom(1, 1, 1, 2, 32),
    batch: fc.integer({ min: 1, max: 4 }),
    inC: fc.integer({ min: 1, max: 512 }),
    outC: fc.integer({ min: 1, max: 512 }),
    inH: fc.integer({ min: 1, max: 112 }),
    inW: fc.integer({ min: 1, max: 112 }),
    k: fc.constantFrom(1, 3, 5, 7),
    stride: fc.constantFrom(1, 2),
    ifmapBytes: fc.constantFrom(0.5, 1, 2),
    weightBytes: fc.constantFrom(0.5, 1, 2),
    accumBytes: fc.constantFrom(2, 4),
  })
  .map((r): TilingProblem => {
    const k = Math.min(r.k, r.inH, r.inW);
    const outH = Math.floor((r.inH - k) / r.stride) + 1;
    const outW = Math.floor((r.inW - k) / r.stride) + 1;
    return {
      groups: r.groups, batch: r.batch, inC: r.inC, outC: r.outC, inH: r.inH, inW: r.inW, outH, outW,
      kH: k, kW: k, strideH: r.stride, ifmapBytes: r.ifmapBytes, weightBytes: r.weightBytes, outBytes: r.ifmapBytes, accumBytes: r.accumBytes,
    };
  });

const kib = fc.integer({ min: 1, max: 4096 }).map((x) => x * 256); // 256 B .. 1 MiB
const buffersArb = fc.oneof(
  fc.record({ unifiedBytes: kib, ifmapBytes: fc.constant(0), filterBytes: fc.constant(0), ofmapBytes: fc.constant(0) }),
  fc.record({ unifiedBytes: fc.constant(null), ifmapBytes: kib, filterBytes: kib, ofmapBytes: kib }),
) as fc.Arbitrary<Buffers>;

function sizes(p: TilingProblem): { I: number; W: number; O: number } {
  return { I: p.batch * p.inC * p.inH * p.inW, W: p.outC * p.inC * p.kH * p.kW, O: p.batch * p.outC * p.outH * p.outW };
}

test('DRAM bytes are never below the compulsory bytes', () => {
  fc.assert(
    fc.property(problemArb, buffersArb, (p, b) => {
      const t = tileLayer(p, b);
      const { I, W, O } = sizes(p);
      const compulsory = (I * p.ifmapBytes + W * p.weightBytes + O * p.outBytes) * p.groups;
      assert.ok(Math.abs(t.compulsoryBytes - compulsory) < 1e-6);
      assert.ok(t.dramBytes >= compulsory - 1e-6, `${t.dramBytes} < ${compulsory}`);
      assert.ok(Math.abs(t.ifmapReadBytes + t.weightReadBytes + t.ofmapReadBytes + t.ofmapWriteBytes - t.dramBytes) < 1e-6 * t.dramBytes);
    }),
    { numRuns: 400 },
  );
});

test('DRAM bytes never increase when any one buffer grows', () => {
  fc.assert(
    fc.property(problemArb, buffersArb, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 2 }), (p, b, factor, which) => {
      const before = tileLayer(p, b).dramBytes;
      let grown: Buffers;
      if (b.unifiedBytes !== null) grown = { ...b, unifiedBytes: b.unifiedBytes * (1 + factor / 8) };
      else if (which === 0) grown = { ...b, ifmapBytes: b.ifmapBytes * (1 + factor / 8) };
      else if (which === 1) grown = { ...b, filterBytes: b.filterBytes * (1 + factor / 8) };
      else grown = { ...b, ofmapBytes: b.ofmapBytes * (1 + factor / 8) };
      const after = tileLayer(p, grown).dramBytes;
      assert.ok(after <= before + 1e-6, `grew from ${before} to ${after}`);
    }),
    { numRuns: 600 },
  );
});

test('compulsory traffic when everything fits, more when it does not', () => {
  // 3x3 conv, 64 -> 64 channels, 56x56, 8-bit, 32-bit partial sums.
  const p: TilingProblem = {
    groups: 1, batch: 1, inC: 64, outC: 64, inH: 56, inW: 56, outH: 54, outW: 54, kH: 3, kW: 3, strideH: 1,
    ifmapBytes: 1, weightBytes: 1, outBytes: 1, accumBytes: 4,
  };
  const { I, W, O } = sizes(p);
  const all = I + W + O * 4;
  const fit = tileLayer(p, { unifiedBytes: all, ifmapBytes: 0, filterBytes: 0, ofmapBytes: 0 });
  assert.equal(fit.dramBytes, I + W + O);
  // Weights alone fit in a small buffer: weight-stationary still reaches compulsory traffic.
  const wsOnly = tileLayer(p, { unifiedBytes: W + 64 * 56 * 4 + 54 * 64 * 4, ifmapBytes: 0, filterBytes: 0, ofmapBytes: 0 });
  assert.equal(wsOnly.dramBytes, I + W + O);
  // 8 KiB cannot hold the 36 KiB of weights nor the ifmap: some operand is re-read.
  const small = tileLayer(p, { unifiedBytes: 8192, ifmapBytes: 0, filterBytes: 0, ofmapBytes: 0 });
  assert.ok(small.dramBytes > I + W + O);
});

test('a resident ifmap costs no DRAM reads and leaves weights read once', () => {
  const p: TilingProblem = {
    groups: 1, batch: 1, inC: 256, outC: 256, inH: 28, inW: 28, outH: 28, outW: 28, kH: 1, kW: 1, strideH: 1,
    ifmapBytes: 1, weightBytes: 1, outBytes: 1, accumBytes: 4,
  };
  const b: Buffers = { unifiedBytes: 16 * 1024, ifmapBytes: 0, filterBytes: 0, ofmapBytes: 0 };
  const plain = tileLayer(p, b);
  const res = tileLayer(p, b, { ifmap: true, weights: false, ofmap: false });
  assert.equal(res.ifmapReadBytes, 0);
  assert.equal(res.weightReadBytes, 256 * 256);
  assert.ok(res.dramBytes < plain.dramBytes);
  const both = tileLayer(p, b, { ifmap: true, weights: false, ofmap: true });
  assert.equal(both.dramBytes, 256 * 256);
});

test('bytes per element scale the traffic', () => {
  const p: TilingProblem = {
    groups: 1, batch: 1, inC: 128, outC: 128, inH: 28, inW: 28, outH: 28, outW: 28, kH: 3, kW: 3, strideH: 1,
    ifmapBytes: 1, weightBytes: 1, outBytes: 1, accumBytes: 4,
  };
  const b: Buffers = { unifiedBytes: 1 << 22, ifmapBytes: 0, filterBytes: 0, ofmapBytes: 0 };
  const t8 = tileLayer(p, b);
  const t16 = tileLayer({ ...p, ifmapBytes: 2, weightBytes: 2, outBytes: 2 }, b);
  assert.equal(t16.dramBytes, 2 * t8.dramBytes); // both fit: compulsory, twice the bytes
});
