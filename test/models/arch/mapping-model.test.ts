/**
 * The mapping model against a slow reference that walks every iteration of the loop nest.
 *
 * The model counts each level's fills in closed form (mapping-model.ts, deltaFills). The
 * reference below instead steps through every iteration of the temporal loops above the level,
 * builds the tile's bounding box in the operand's coordinates (Weights[C,K,R,S],
 * Inputs[N,C,strideW*P+R,strideH*Q+S], Outputs[N,K,P,Q]), and applies the delta rule documented
 * in docs/COST_MODEL.md point by point: the first tile is all new; at each later step the points
 * of the new tile not in the previous one, but only while the translation stays the same; when it
 * changes, the whole tile is new and the translation is forgotten. Reads, updates, cycles and
 * energy are then the documented formulas, written out plainly (reads = child fills x the points
 * of the children's tiles spread over the spatial loops between / the child's tile). Random
 * small layers and random mappings on every architecture preset; cycles must agree exactly,
 * accesses and energy to 1e-12 (reads can be fractional where children's input windows overlap,
 * and the two sides divide in different orders).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Prng } from '../../../core/prng.ts';
import { loadArchitectureFile } from '../../../models/arch/architecture-file.ts';
import { LoopNest, nestFromMapping } from '../../../models/arch/loop-nest.ts';
import { costMapping, costNest, evaluateMapping, type FastCost } from '../../../models/arch/mapping-model.ts';
import { gemminiLike } from '../../../models/arch/presets.ts';
import { OPERANDS, type Architecture, type LayerShape, type Mapping } from '../../../models/arch/types.ts';
import { randomMapping, randomSmallLayer } from './random-mapping.ts';

const hardwareDir = fileURLToPath(new URL('../../../configs/hardware/', import.meta.url));
const presets: Architecture[] = [
  ...readdirSync(hardwareDir).filter((f) => f.endsWith('.arch.yaml')).sort().map((f) => loadArchitectureFile(hardwareDir + f)),
  gemminiLike({ peDim: 4, scratchpadKiB: 64, accumulatorKiB: 16 }),
];
// A 13-level chain (simba-like's levels repeated), so that levels 10-12 are exercised too.
const simba = presets.find((a) => a.name === 'simba-like')!;
const deep: Architecture = { name: 'deep', compute: simba.compute, levels: [simba.levels[0]!, ...Array.from({ length: 12 }, (_, i) => ({ ...simba.levels[1 + (i % 5)]!, name: `L${i}` }))] };

interface RefLoop { level: number; dim: number; factor: number; spatial: boolean }
type Box = Array<[number, number]>; // per operand coordinate: [min, max]

function flatLoops(mapping: Mapping): RefLoop[] {
  return mapping.levels.flatMap((lv, level) => [
    ...lv.temporal.map((l) => ({ level, dim: l.dim, factor: l.factor, spatial: false })),
    ...lv.spatial.map((l) => ({ level, dim: l.dim, factor: l.factor, spatial: true })),
  ]);
}

/** The operand's coordinate ranges for the dim ranges lo..hi (inclusive). */
function operandBox(o: number, lo: number[], hi: number[], layer: LayerShape): Box {
  const [N, C, K, P, Q, R, S] = [0, 1, 2, 3, 4, 5, 6];
  if (o === 0) return [[lo[C]!, hi[C]!], [lo[K]!, hi[K]!], [lo[R]!, hi[R]!], [lo[S]!, hi[S]!]];
  if (o === 1) {
    return [[lo[N]!, hi[N]!], [lo[C]!, hi[C]!], [layer.strideW * lo[P]! + lo[R]!, layer.strideW * hi[P]! + hi[R]!], [layer.strideH * lo[Q]! + lo[S]!, layer.strideH * hi[Q]! + hi[S]!]];
  }
  return [[lo[N]!, hi[N]!], [lo[K]!, hi[K]!], [lo[P]!, hi[P]!], [lo[Q]!, hi[Q]!]];
}

const points = (b: Box): number => b.reduce((s, [a, z]) => s * (z - a + 1), 1);

/** Points of `b` not in `prev`, counted one by one. */
function pointsNotIn(b: Box, prev: Box): number {
  let n = 0;
  for (let x0 = b[0]![0]; x0 <= b[0]![1]; x0++)
    for (let x1 = b[1]![0]; x1 <= b[1]![1]; x1++)
      for (let x2 = b[2]![0]; x2 <= b[2]![1]; x2++)
        for (let x3 = b[3]![0]; x3 <= b[3]![1]; x3++) {
          const inside = [x0, x1, x2, x3].every((x, c) => x >= prev[c]![0] && x <= prev[c]![1]);
          if (!inside) n++;
        }
  return n;
}

/** Extents of the tile of level li: product of the factors of each dim over its loops and below. */
function extentsBelow(loops: RefLoop[], li: number): number[] {
  const e = new Array<number>(7).fill(1);
  for (const l of loops) if (l.level >= li) e[l.dim]! *= l.factor;
  return e;
}

/** Fills of one instance of level li for operand o: every iteration of the temporal loops above it. */
function walkFills(loops: RefLoop[], li: number, o: number, layer: LayerShape): number {
  const above = loops.map((l, j) => ({ ...l, j })).filter((l) => l.level < li && !l.spatial);
  // A loop's stride in its dim: the product of the factors of the loops inside it on that dim.
  const stride = above.map((l) => loops.slice(l.j + 1).filter((k) => k.dim === l.dim).reduce((s, k) => s * k.factor, 1));
  const ext = extentsBelow(loops, li);
  const idx = new Array<number>(above.length).fill(0);
  let prev: Box | null = null;
  let lastShift: number[] | null = null;
  let fills = 0;
  for (;;) {
    const lo = new Array<number>(7).fill(0);
    above.forEach((l, k) => (lo[l.dim]! += idx[k]! * stride[k]!));
    const tile = operandBox(o, lo, lo.map((x, d) => x + ext[d]! - 1), layer);
    if (!prev) fills += points(tile);
    else {
      const shift = tile.map(([a], c) => a - prev![c]![0]);
      if (lastShift === null || shift.every((s, c) => s === lastShift![c])) {
        fills += pointsNotIn(tile, prev);
        lastShift = shift;
      } else {
        fills += points(tile);
        lastShift = null;
      }
    }
    prev = tile;
    // Odometer: the innermost loop moves fastest.
    let k = above.length - 1;
    while (k >= 0 && idx[k] === above[k]!.factor - 1) idx[k--] = 0;
    if (k < 0) return fills;
    idx[k]!++;
  }
}

interface RefAccesses { reads: number; fills: number; updates: number; tileWords: number }

function referenceCost(arch: Architecture, layer: LayerShape, mapping: Mapping): { cycles: number; energyPJ: number; levels: Array<Partial<Record<'W' | 'I' | 'O', RefAccesses>>> } {
  const loops = flatLoops(mapping);
  const n = arch.levels.length;
  const computeCycles = loops.filter((l) => !l.spatial).reduce((s, l) => s * l.factor, 1);
  const macs = loops.reduce((s, l) => s * l.factor, 1);
  const zero = new Array<number>(7).fill(0);
  const tileOf = (o: number, ext: number[]): number => points(operandBox(o, zero, ext.map((e) => e - 1), layer));
  const levels: Array<Partial<Record<'W' | 'I' | 'O', RefAccesses>>> = Array.from({ length: n }, () => ({}));
  OPERANDS.forEach((op, o) => {
    const keepers = mapping.levels.flatMap((lv, li) => (lv.keeps.includes(op) ? [li] : []));
    keepers.forEach((li, k) => {
      const child = k + 1 < keepers.length ? keepers[k + 1]! : n; // n: the MACs
      const fills = k === 0 ? 0 : walkFills(loops, li, o, layer);
      const childFills = child === n ? computeCycles : walkFills(loops, child, o, layer);
      const childTile = child === n ? 1 : tileOf(o, extentsBelow(loops, child));
      const spread = extentsBelow(loops, child);
      for (const l of loops) if (l.spatial && l.level >= li && l.level < child) spread[l.dim]! *= l.factor;
      const content = (childFills * tileOf(o, spread)) / childTile;
      let reads = content;
      let updates = 0;
      if (op === 'O') {
        // The outputs this instance owns: the layer divided by the spatial loops above it.
        const owned = [layer.N, layer.C, layer.K, layer.P, layer.Q, layer.R, layer.S];
        for (const l of loops) if (l.spatial && l.level < li) owned[l.dim]! /= l.factor;
        updates = content;
        reads = content - tileOf(o, owned);
      }
      levels[li]![op] = { reads, fills, updates, tileWords: tileOf(o, extentsBelow(loops, li)) };
    });
  });
  let cycles = computeCycles;
  const perLevel = arch.levels.map((lv, li) => {
    let words = 0;
    let e = 0;
    for (const a of Object.values(levels[li]!)) {
      words += a.reads + a.fills + a.updates;
      e += Math.ceil(a.reads / lv.blockWords) * lv.energyPJ.read + Math.ceil(a.fills / lv.blockWords) * lv.energyPJ.fill + Math.ceil(a.updates / lv.blockWords) * lv.energyPJ.update;
    }
    const used = loops.filter((l) => l.spatial && l.level < li).reduce((s, l) => s * l.factor, 1);
    cycles = Math.max(cycles, Math.ceil(words / (lv.bandwidthWordsPerCycle ?? Infinity)));
    return { e: e * used, leak: lv.energyPJ.leakPerCycle * lv.instances };
  });
  const energyPJ = perLevel.reduce((s, l) => s + l.e + l.leak * cycles, 0) + macs * arch.compute.macEnergyPJ;
  return { cycles, energyPJ, levels };
}

const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

test('fills, reads, updates, cycles and energy equal an iteration-by-iteration walk on random small layers and mappings, every preset', () => {
  const prng = new Prng(14);
  let checked = 0;
  let withFills = 0;
  for (const arch of presets) {
    for (let i = 0; i < 160; i++) {
      const layer = randomSmallLayer(prng);
      const mapping = randomMapping(arch, layer, prng);
      const ref = referenceCost(arch, layer, mapping);
      const got = evaluateMapping(arch, layer, mapping);
      const where = `${arch.name} ${JSON.stringify(layer)} ${JSON.stringify(mapping)}`;
      assert.equal(got.cycles, ref.cycles, `cycles, ${where}`);
      assert.ok(close(got.energyPJ, ref.energyPJ), `energy ${got.energyPJ} vs ${ref.energyPJ}, ${where}`);
      got.levels.forEach((lc, li) => {
        assert.deepEqual(Object.keys(lc.accesses), Object.keys(ref.levels[li]!), `${lc.name} operands, ${where}`);
        for (const [op, a] of Object.entries(lc.accesses)) {
          const r = ref.levels[li]![op as 'W' | 'I' | 'O']!;
          // Reads may be fractional (children's tiles overlapping in a halo), hence 1e-12.
          for (const k of ['reads', 'fills', 'updates', 'tileWords'] as const) assert.ok(close(a[k], r[k]), `${lc.name} ${op} ${k}: ${a[k]} vs ${r[k]}, ${where}`);
          if (a.fills > a.tileWords) withFills++;
        }
      });
      checked++;
    }
  }
  assert.equal(checked, 160 * presets.length);
  // The walks must have exercised refetches (tiles moving and coming back), not just one tile each.
  assert.ok(withFills > checked, `only ${withFills} refetching levels`);
});

test('costNest on a hand-filled loop nest gives what costMapping gives on the same Mapping', () => {
  const prng = new Prng(7);
  const nest = new LoopNest();
  const a: FastCost = { cycles: 0, energyPJ: 0, computeCycles: 0, macs: 0, boundLevel: -1 };
  const b: FastCost = { ...a };
  for (const arch of [...presets, deep]) {
    for (let i = 0; i < 50; i++) {
      const layer = randomSmallLayer(prng);
      const mapping = randomMapping(arch, layer, prng);
      // Filled the way a caller would, factor-1 loops included (they must change nothing).
      nest.clear();
      mapping.levels.forEach((lv, li) => {
        nest.keeps(li, lv.keeps.reduce((m, op) => m | (1 << OPERANDS.indexOf(op)), 0));
        for (const [loops, s] of [[lv.temporal, false], [lv.spatial, true]] as const) {
          for (const l of loops) {
            if (prng.next() < 0.2) nest.loop(li, prng.int(7), 1, s);
            nest.loop(li, l.dim, l.factor, s);
          }
        }
      });
      costNest(arch, layer, nest, a);
      costMapping(arch, layer, mapping, b);
      assert.deepEqual(a, b);
      assert.deepEqual(costNest(arch, layer, nestFromMapping(mapping), { ...a }), b);
    }
  }
});

test('a LoopNest refuses what it cannot hold', () => {
  const nest = new LoopNest();
  assert.throws(() => nest.loop(0, 1, 0, false), /factor 0/);
  assert.throws(() => nest.loop(16, 1, 2, false), /level 16/);
  assert.throws(() => nest.keeps(0, 8), /keep mask 8/);
  // Keep masks of all 16 levels, packed three bits each: each level reads back its own.
  for (let li = 0; li < 16; li++) nest.keeps(li, (li * 5 + 3) & 7);
  nest.keeps(3, 0).keeps(12, 6);
  assert.deepEqual(Array.from({ length: 16 }, (_, li) => nest.kept(li)), Array.from({ length: 16 }, (_, li) => (li === 3 ? 0 : li === 12 ? 6 : (li * 5 + 3) & 7)));
  for (let k = 0; k < 64; k++) nest.loop(0, 1, 1, false);
  assert.throws(() => nest.loop(0, 1, 2, false), /more than 64 loops/);
  assert.equal(nest.clear().count, 0);
});
