import type { Prng } from '../../../core/prng.ts';
import { fanout } from '../../../models/arch/validate-mapping.ts';
import { DIMS, type Architecture, type LayerShape, type Loop, type Mapping, type Operand } from '../../../models/arch/types.ts';

/**
 * A random mapping of `layer` on `arch` whose factors multiply to the layer's dims: every prime
 * factor of every dim goes to a random loop slot (a level's temporal loops on its allowed dims, or
 * its spatial loops on its spatial dims within the fan-out; the outermost level takes the rest),
 * temporal loops in a random order, sometimes two loops of one dim in a level, and inner levels
 * sometimes bypassing an operand the architecture lets them keep. Capacities are not checked: the
 * model's counts do not depend on them.
 */
export function randomMapping(arch: Architecture, layer: LayerShape, prng: Prng): Mapping {
  const n = arch.levels.length;
  const dims = [layer.N, layer.C, layer.K, layer.P, layer.Q, layer.R, layer.S];
  const temporal: Loop[][] = Array.from({ length: n }, () => []);
  const spatial: number[][] = Array.from({ length: n }, () => new Array<number>(7).fill(1));
  const spatialLeft = arch.levels.map((_, li) => fanout(arch, li));
  const addTemporal = (li: number, d: number, f: number): void => {
    const same = temporal[li]!.filter((l) => l.dim === d);
    // Usually one loop per dim and level; now and then a second one (Timeloop allows it).
    if (same.length > 0 && prng.next() < 0.8) same[prng.int(same.length)]!.factor *= f;
    else temporal[li]!.push({ dim: d, factor: f });
  };
  for (let d = 0; d < 7; d++) {
    for (const p of primeFactors(dims[d]!)) {
      const li = prng.int(n);
      const lv = arch.levels[li]!;
      const canSpatial = lv.spatialDims.includes(DIMS[d]!) && spatialLeft[li]! % p === 0;
      const canTemporal = li === 0 || !lv.temporalDims || lv.temporalDims.includes(DIMS[d]!);
      if (canSpatial && (!canTemporal || prng.next() < 0.5)) {
        spatial[li]![d]! *= p;
        spatialLeft[li]! /= p;
      } else addTemporal(canTemporal ? li : 0, d, p);
    }
  }
  return {
    levels: arch.levels.map((lv, li) => {
      const order = [...temporal[li]!];
      for (let i = order.length - 1; i > 0; i--) {
        const k = prng.int(i + 1);
        [order[i], order[k]] = [order[k]!, order[i]!];
      }
      const keeps: Operand[] = li === 0 ? [...lv.keeps] : lv.keeps.filter(() => prng.next() < 0.85);
      return {
        temporal: order,
        spatial: spatial[li]!.flatMap((f, d) => (f > 1 ? [{ dim: d, factor: f }] : [])),
        keeps: keeps.length > 0 ? keeps : [...lv.keeps],
      };
    }),
  };
}

function primeFactors(x: number): number[] {
  const out: number[] = [];
  for (let p = 2; p * p <= x; p++) {
    while (x % p === 0) {
      out.push(p);
      x /= p;
    }
  }
  if (x > 1) out.push(x);
  return out;
}

/** A random small layer: every dim and stride small enough to walk every iteration of its nest. */
export function randomSmallLayer(prng: Prng): LayerShape {
  const pick = (xs: number[]): number => xs[prng.int(xs.length)]!;
  return {
    N: pick([1, 1, 2]),
    C: pick([1, 2, 3, 4, 6]),
    K: pick([1, 2, 4, 6]),
    P: pick([1, 2, 3, 4, 6]),
    Q: pick([1, 2, 4, 5]),
    R: pick([1, 2, 3]),
    S: pick([1, 3]),
    strideW: pick([1, 1, 2]),
    strideH: pick([1, 2, 3]),
  };
}
