import { Prng } from '../../core/prng.ts';
import { nonDominatedIndices, nondominatedSort } from '../../results/dominance.ts';
import { FrontArchive } from '../../results/front-archive.ts';
import { hypervolume, hypervolumeContributions, hypervolumeImprovement } from '../../results/hypervolume.ts';
import { additiveEpsilon, igdPlus, multiplicativeEpsilon } from '../../results/indicators.ts';
import { median, type BenchSection, type BenchTable } from '../table.ts';

/**
 * Speed of the Pareto mathematics in results/: hypervolume, dominance filtering and sorting,
 * the archive, and the indicators `dse check` computes. Fronts are mutually non-dominated
 * random points on the positive octant of a sphere (a point below another in every objective
 * would be closer to the origin), the hardest case for front algorithms; "cube" sets are
 * uniform random points, mostly dominated, as a search produces them.
 */

const REPEATS = 5;

function sphereFront(n: number, d: number, seed: number, radius = 1): number[][] {
  const rng = new Prng(seed);
  return Array.from({ length: n }, () => {
    const g = Array.from({ length: d }, () => Math.abs(rng.normal()) + 1e-12);
    const norm = Math.hypot(...g);
    return g.map((v) => (radius * v) / norm);
  });
}

function cube(n: number, d: number, seed: number): number[][] {
  const rng = new Prng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next()));
}

/** Median wall time in ms of `REPEATS` runs (after one untimed warm-up run), and the last result. */
function time<R>(f: () => R, repeats = REPEATS): { ms: number; result: R } {
  let result = f();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    result = f();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result };
}

/** IGD+ straight from the definition, to show what the k-d tree saves. */
function naiveIgdPlus(A: number[][], Z: number[][]): number {
  let sum = 0;
  for (const z of Z) {
    let best = Infinity;
    for (const a of A) {
      let s = 0;
      for (let k = 0; k < z.length; k++) {
        const diff = a[k]! - z[k]!;
        if (diff > 0) s += diff * diff;
      }
      if (s < best) best = s;
    }
    sum += Math.sqrt(best);
  }
  return sum / Z.length;
}

function hypervolumeTable(): BenchTable {
  const rows: (string | number)[][] = [];
  const cases: { name: string; points: number[][]; target: string }[] = [
    { name: 'front (sphere)', points: sphereFront(10_000, 2, 1), target: '' },
    { name: 'front (sphere)', points: sphereFront(1_000, 3, 2), target: '< 50 ms' },
    { name: 'front (sphere)', points: sphereFront(10_000, 3, 3), target: '' },
    { name: 'cube (mostly dominated)', points: cube(100_000, 3, 4), target: '' },
    { name: 'front (sphere)', points: sphereFront(200, 4, 5), target: '' },
    { name: 'front (sphere)', points: sphereFront(200, 5, 6), target: '' },
  ];
  for (const c of cases) {
    const d = c.points[0]!.length;
    const ref = new Array<number>(d).fill(1.1);
    const { ms, result } = time(() => hypervolume(c.points, ref));
    rows.push([`hypervolume, ${c.name}`, c.points.length, d, ms, result, c.target]);
  }
  const front3 = sphereFront(1_000, 3, 2);
  const ref3 = [1.1, 1.1, 1.1];
  const candidate = [0.55, 0.55, 0.55];
  const imp = time(() => hypervolumeImprovement(front3, candidate, ref3));
  rows.push(['hypervolumeImprovement, front (sphere)', front3.length, 3, imp.ms, imp.result, '']);
  const small = sphereFront(200, 3, 7);
  const contrib = time(() => hypervolumeContributions(small, ref3), 3);
  rows.push(['hypervolumeContributions, front (sphere)', small.length, 3, contrib.ms, contrib.result.reduce((a, b) => a + b, 0), '']);
  return {
    title: 'Hypervolume (exact; reference 1.1 in every objective)',
    columns: ['case', 'points', 'objectives', 'median ms', 'value', 'target'],
    rows,
    notes: [`Median of ${REPEATS} runs after a warm-up. For contributions the value is their sum.`],
  };
}

function dominanceTable(): BenchTable {
  const rows: (string | number)[][] = [];
  const ndCases: { name: string; points: number[][] }[] = [
    { name: 'cube', points: cube(100_000, 2, 11) },
    { name: 'front (sphere)', points: sphereFront(100_000, 2, 12) },
    { name: 'cube', points: cube(100_000, 3, 13) },
    { name: 'front (sphere)', points: sphereFront(100_000, 3, 14) },
    { name: 'cube', points: cube(100_000, 5, 15) },
    { name: 'front (sphere)', points: sphereFront(5_000, 5, 16) },
  ];
  for (const c of ndCases) {
    const { ms, result } = time(() => nonDominatedIndices(c.points));
    rows.push([`nonDominatedIndices, ${c.name}`, c.points.length, c.points[0]!.length, ms, result.length]);
  }
  for (const [n, d] of [[200, 2], [200, 3], [1_000, 3], [10_000, 3], [1_000, 5]] as const) {
    const pts = cube(n, d, 20 + n + d);
    const { ms, result } = time(() => nondominatedSort(pts));
    rows.push([`nondominatedSort, cube`, n, d, ms, `${result.length} fronts`]);
  }
  for (const [n, d, name] of [[100_000, 2, 'cube'], [100_000, 3, 'cube'], [20_000, 3, 'front (sphere)']] as const) {
    const pts = name === 'cube' ? cube(n, d, 30 + d) : sphereFront(n, d, 31);
    const { ms, result } = time(() => {
      const archive = new FrontArchive<number>();
      pts.forEach((p, i) => archive.add(p, i));
      return archive.size;
    }, 3);
    rows.push([`FrontArchive, ${n.toLocaleString('en-US')} adds, ${name}`, n, d, ms, `${result} on front`]);
  }
  return {
    title: 'Dominance: filtering, sorting, archive',
    columns: ['case', 'points', 'objectives', 'median ms', 'result'],
    rows,
  };
}

function indicatorTable(): BenchTable {
  const n = 10_000;
  // Reference: a sphere front. Approximation: another sample, radius jittered around 1, so
  // some of its points are better and some worse than the reference.
  const reference = sphereFront(n, 3, 41);
  const rng = new Prng(42);
  const approx = sphereFront(n, 3, 43).map((p) => {
    const s = 1 + 0.05 * (rng.next() - 0.3);
    return p.map((v) => v * s + 0.01);
  });
  const rows: (string | number)[][] = [];
  const igd = time(() => igdPlus(approx, reference));
  rows.push(['igdPlus', `${n} x ${n}`, 3, igd.ms, igd.result]);
  const add = time(() => additiveEpsilon(approx, reference));
  rows.push(['additiveEpsilon', `${n} x ${n}`, 3, add.ms, add.result]);
  // Ratios need values away from 0: shift both fronts by 1 for the multiplicative epsilon.
  const shift = (pts: number[][]): number[][] => pts.map((p) => p.map((v) => v + 1));
  const approx1 = shift(approx);
  const reference1 = shift(reference);
  const mul = time(() => multiplicativeEpsilon(approx1, reference1));
  rows.push(['multiplicativeEpsilon (fronts shifted by +1)', `${n} x ${n}`, 3, mul.ms, mul.result]);
  const hv = time(() => hypervolume(approx, [1.2, 1.2, 1.2]));
  rows.push(['hypervolume (for comparison)', `${n}`, 3, hv.ms, hv.result]);
  const naive = time(() => naiveIgdPlus(approx, reference), 1);
  rows.push(['igdPlus, naive double loop (one run)', `${n} x ${n}`, 3, naive.ms, naive.result]);
  return {
    title: 'Indicators on 10,000-point fronts in 3 objectives (what `dse check` computes)',
    columns: ['indicator', 'points', 'objectives', 'median ms', 'value'],
    rows,
    notes: ['Target: all of `dse check` under 1 s on 10,000-point fronts. The naive row is the O(n m d) definition, for scale.'],
  };
}

export const section: BenchSection = {
  name: 'pareto',
  async run() {
    return [hypervolumeTable(), dominanceTable(), indicatorTable()];
  },
};
