import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operandTileWords } from '../../../models/arch/mapping-model.ts';
import { isRelevant, tileWords } from '../../../models/arch/operand-dims.ts';
import { Prng } from '../../../core/prng.ts';

test("the mapper's tile sizes are the model's, on random extents and strides", () => {
  const prng = new Prng(7);
  const ext = new Float64Array(7);
  for (let k = 0; k < 500; k++) {
    for (let d = 0; d < 7; d++) ext[d] = 1 + prng.int(9);
    const layer = { N: 1, C: 1, K: 1, P: 1, Q: 1, R: 1, S: 1, strideW: 1 + prng.int(3), strideH: 1 + prng.int(3) };
    for (let o = 0; o < 3; o++) assert.equal(tileWords(o, ext, layer.strideW, layer.strideH), operandTileWords(o, ext, layer));
  }
});

test('a dim indexes an operand exactly when growing it grows the tile', () => {
  const layer = { N: 1, C: 1, K: 1, P: 1, Q: 1, R: 1, S: 1, strideW: 1, strideH: 1 };
  for (let o = 0; o < 3; o++) {
    for (let d = 0; d < 7; d++) {
      const ext = new Float64Array(7).fill(2);
      const before = operandTileWords(o, ext, layer);
      ext[d] = 4;
      assert.equal(operandTileWords(o, ext, layer) > before, isRelevant(o, d), `operand ${o} dim ${d}`);
    }
  }
});
