import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDseError } from '../../../../core/errors.ts';
import { Prng } from '../../../../core/prng.ts';
import { onnxToWorkload } from '../../../../models/workload/onnx/onnx-to-workload.ts';

/*
 * Mutated protobuf bytes (seeded): flipped bytes, overwritten varints, cut, duplicated and
 * spliced ranges of real ONNX files. Every case must end in a workload or a one-line DseError:
 * never another exception, never a hang (the whole loop runs in about a second).
 */
const FILES: [string, Record<string, number>][] = [
  ['../../../golden/data/onnx/alexnet.onnx', {}],
  ['./data/resnet18.onnx', { batch: 1 }],
  ['./data/encoder_block.onnx', { batch: 1, seqLen: 8 }],
  ['./data/quantized.onnx', {}],
];
const SEEDS = FILES.map(([f, params]) => ({ bytes: readFileSync(fileURLToPath(new URL(f, import.meta.url))), params }));
const CASES = Number(process.env.ONNX_FUZZ_CASES ?? 400);

function mutate(rng: Prng, src: Uint8Array): Uint8Array {
  const b = Uint8Array.from(src);
  switch (rng.int(5)) {
    case 0: // flip a few bytes
      for (let i = 0, n = 1 + rng.int(8); i < n; i++) b[rng.int(b.length)] = rng.int(256);
      return b;
    case 1: // a large varint where a length or a dim was (0xff continuation bytes)
      for (let at = rng.int(b.length - 6), i = 0; i < 5; i++) b[at + i] = i < 4 ? 0xff : 0x0f;
      return b;
    case 2: // cut
      return b.subarray(0, rng.int(b.length));
    case 3: {
      // duplicate a range in place
      const from = rng.int(b.length);
      const len = rng.int(Math.min(200, b.length - from));
      const out = new Uint8Array(b.length + len);
      out.set(b.subarray(0, from + len));
      out.set(b.subarray(from), from + len);
      return out;
    }
    default: {
      // splice bytes of another file in
      const other = rng.pick(SEEDS).bytes;
      const at = rng.int(b.length);
      const from = rng.int(other.length);
      const len = rng.int(Math.min(300, other.length - from, b.length - at));
      b.set(other.subarray(from, from + len), at);
      return b;
    }
  }
}

test('mutated ONNX bytes give a workload or a one-line DseError, never a crash or a hang', () => {
  const rng = new Prng(Number(process.env.ONNX_FUZZ_SEED ?? 20251202));
  let imported = 0;
  let rejected = 0;
  for (let i = 0; i < CASES; i++) {
    const seed = rng.pick(SEEDS);
    const bytes = mutate(rng, seed.bytes);
    try {
      onnxToWorkload(bytes, 'fuzz.onnx', seed.params);
      imported++;
    } catch (e) {
      if (!isDseError(e)) assert.fail(`case ${i}: ${(e as Error).stack}`);
      assert.ok(!e.toLine().includes('\n'), `case ${i}: ${e.toLine()}`);
      rejected++;
    }
  }
  // Both outcomes occur: the mutations are neither all harmless nor all fatal.
  assert.ok(imported > 0 && rejected > 0, `imported ${imported}, rejected ${rejected}`);
});
