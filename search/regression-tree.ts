import { Prng } from '../core/prng.ts';

/**
 * CART regression trees and a bagged forest of them, for discrete features: every feature is
 * a small integer code in [0, cardinality) (a parameter's value position). That is what the
 * `surrogate` searcher needs, and it allows histogram splits: at a node, one pass over its
 * rows fills per-value counts and sums for each feature, and the best split is read off the
 * histogram, so fitting is O(rows x features x depth) with no sorting.
 *
 * - An ordinal feature splits at a threshold (code <= t goes left).
 * - A categorical feature splits into a subset of its values: values ordered by their mean
 *   target, then the best prefix, which is the optimal subset split for squared error
 *   (Breiman et al. 1984, Fisher 1958).
 *
 * Written here because ml-cart (the installed CART package) took about 14 s to fit one tree
 * on 10,000 rows x 8 features on this machine, against a budget of milliseconds per batch.
 */
export interface TreeOptions {
  /** Deepest split level (root is 0). Default 12. */
  maxDepth?: number;
  /** Fewest rows in a leaf. Default 2. */
  minLeaf?: number;
  /** Share of the features considered at each split (random subset; at least one). Default 1. */
  featureFraction?: number;
}

/** Training data: n rows of d integer codes, flattened row-major. */
export interface DiscreteData {
  /** features[i * d + f] is row i's code for feature f. */
  features: Int32Array;
  targets: Float64Array;
  rows: number;
  cardinalities: readonly number[];
  categorical: readonly boolean[];
}

export function discreteData(
  X: readonly (readonly number[])[],
  y: readonly number[],
  cardinalities: readonly number[],
  categorical: readonly boolean[] = cardinalities.map(() => false),
): DiscreteData {
  const d = cardinalities.length;
  const features = new Int32Array(X.length * d);
  X.forEach((row, i) => {
    for (let f = 0; f < d; f++) {
      const code = row[f]!;
      if (!(Number.isInteger(code) && code >= 0 && code < cardinalities[f]!)) {
        throw new RangeError(`feature ${f} of row ${i} is ${code}, expected an integer in [0, ${cardinalities[f]})`);
      }
      features[i * d + f] = code;
    }
  });
  return { features, targets: Float64Array.from(y), rows: X.length, cardinalities, categorical };
}

const LEAF = -1;

export class RegressionTree {
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  /** For categorical splits: goesLeft[node][code]. */
  private readonly goesLeft: (Uint8Array | undefined)[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];

  private constructor() {}

  get nodeCount(): number {
    return this.value.length;
  }

  /** Fits a tree on `sample` (row indexes, repeats allowed: a bootstrap), or on every row. */
  static fit(data: DiscreteData, options: TreeOptions = {}, prng?: Prng, sample?: Int32Array): RegressionTree {
    const tree = new RegressionTree();
    const rows = sample ? Int32Array.from(sample) : Int32Array.from({ length: data.rows }, (_, i) => i);
    if (rows.length === 0) {
      tree.addLeaf(0);
      return tree;
    }
    new Builder(data, options, prng ?? new Prng(0), tree).build(rows);
    return tree;
  }

  predict(x: readonly number[] | Int32Array): number {
    let node = 0;
    while (this.feature[node] !== LEAF) {
      const f = this.feature[node]!;
      const code = x[f]!;
      const mask = this.goesLeft[node];
      const left = mask ? mask[code] === 1 : code <= this.threshold[node]!;
      node = left ? this.left[node]! : this.right[node]!;
    }
    return this.value[node]!;
  }

  /** @internal */
  addLeaf(value: number): number {
    this.feature.push(LEAF);
    this.threshold.push(0);
    this.goesLeft.push(undefined);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    return this.value.length - 1;
  }

  /** @internal */
  setSplit(node: number, feature: number, threshold: number, mask: Uint8Array | undefined, left: number, right: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.goesLeft[node] = mask;
    this.left[node] = left;
    this.right[node] = right;
  }
}

class Builder {
  private readonly maxDepth: number;
  private readonly minLeaf: number;
  private readonly featureCount: number;
  private readonly maxCard: number;
  private readonly counts: Float64Array;
  private readonly sums: Float64Array;

  constructor(
    private readonly data: DiscreteData,
    options: TreeOptions,
    private readonly prng: Prng,
    private readonly tree: RegressionTree,
  ) {
    this.maxDepth = options.maxDepth ?? 12;
    this.minLeaf = Math.max(1, options.minLeaf ?? 2);
    const d = data.cardinalities.length;
    this.featureCount = Math.max(1, Math.min(d, Math.round(d * (options.featureFraction ?? 1))));
    this.maxCard = Math.max(1, ...data.cardinalities);
    this.counts = new Float64Array(this.maxCard);
    this.sums = new Float64Array(this.maxCard);
  }

  build(rows: Int32Array): void {
    this.grow(rows, 0, rows.length, 0);
  }

  private grow(rows: Int32Array, start: number, end: number, depth: number): number {
    const { targets } = this.data;
    let sum = 0;
    for (let i = start; i < end; i++) sum += targets[rows[i]!]!;
    const n = end - start;
    const node = this.tree.addLeaf(sum / n);
    if (depth >= this.maxDepth || n < 2 * this.minLeaf) return node;
    const split = this.bestSplit(rows, start, end, sum);
    if (!split) return node;
    // Partition rows[start, end) so the left rows come first.
    const d = this.data.cardinalities.length;
    const { features } = this.data;
    let mid = start;
    for (let i = start; i < end; i++) {
      const code = features[rows[i]! * d + split.feature]!;
      const left = split.mask ? split.mask[code] === 1 : code <= split.threshold;
      if (left) {
        const t = rows[mid]!;
        rows[mid] = rows[i]!;
        rows[i] = t;
        mid++;
      }
    }
    const l = this.grow(rows, start, mid, depth + 1);
    const r = this.grow(rows, mid, end, depth + 1);
    this.tree.setSplit(node, split.feature, split.threshold, split.mask, l, r);
    return node;
  }

  private bestSplit(rows: Int32Array, start: number, end: number, total: number): { feature: number; threshold: number; mask: Uint8Array | undefined } | undefined {
    const d = this.data.cardinalities.length;
    const { features, targets, cardinalities, categorical } = this.data;
    const n = end - start;
    const parentScore = (total * total) / n;
    let bestGain = 1e-12 * Math.max(1, Math.abs(parentScore));
    let best: { feature: number; threshold: number; mask: Uint8Array | undefined } | undefined;
    for (const f of this.chooseFeatures(d)) {
      const k = cardinalities[f]!;
      if (k < 2) continue;
      const counts = this.counts;
      const sums = this.sums;
      counts.fill(0, 0, k);
      sums.fill(0, 0, k);
      for (let i = start; i < end; i++) {
        const row = rows[i]!;
        const code = features[row * d + f]!;
        counts[code]! += 1;
        sums[code]! += targets[row]!;
      }
      // Scan order: codes in order (ordinal) or by mean target (categorical); empty codes skipped.
      const order: number[] = [];
      for (let c = 0; c < k; c++) if (counts[c]! > 0) order.push(c);
      if (order.length < 2) continue;
      if (categorical[f]) order.sort((a, b) => sums[a]! / counts[a]! - sums[b]! / counts[b]! || a - b);
      let nl = 0;
      let sl = 0;
      for (let p = 0; p < order.length - 1; p++) {
        const c = order[p]!;
        nl += counts[c]!;
        sl += sums[c]!;
        const nr = n - nl;
        if (nl < this.minLeaf || nr < this.minLeaf) continue;
        const sr = total - sl;
        // Reduction of squared error = sl^2/nl + sr^2/nr - total^2/n.
        const gain = (sl * sl) / nl + (sr * sr) / nr - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          if (categorical[f]) {
            const mask = new Uint8Array(k);
            for (let q = 0; q <= p; q++) mask[order[q]!] = 1;
            best = { feature: f, threshold: 0, mask };
          } else best = { feature: f, threshold: c, mask: undefined };
        }
      }
    }
    return best;
  }

  private chooseFeatures(d: number): number[] {
    const all = Array.from({ length: d }, (_, i) => i);
    if (this.featureCount >= d) return all;
    return this.prng.shuffle(all).slice(0, this.featureCount);
  }
}

export interface ForestOptions extends TreeOptions {
  /** Number of trees. Default 10. */
  trees?: number;
}

/**
 * A bagged forest (Breiman 2001): each tree fits a bootstrap sample (rows drawn with
 * replacement) and the prediction is the mean of the trees; the spread of the trees is a
 * rough uncertainty.
 */
export class RegressionForest {
  readonly trees: RegressionTree[];

  private constructor(trees: RegressionTree[]) {
    this.trees = trees;
  }

  static fit(data: DiscreteData, options: ForestOptions, seed: number): RegressionForest {
    const prng = new Prng(seed);
    const count = Math.max(1, options.trees ?? 10);
    const trees: RegressionTree[] = [];
    for (let t = 0; t < count; t++) {
      const sample = new Int32Array(data.rows);
      for (let i = 0; i < data.rows; i++) sample[i] = prng.int(Math.max(1, data.rows));
      trees.push(RegressionTree.fit(data, options, prng, count === 1 ? undefined : sample));
    }
    return new RegressionForest(trees);
  }

  predict(x: readonly number[] | Int32Array): number {
    let s = 0;
    for (const t of this.trees) s += t.predict(x);
    return s / this.trees.length;
  }
}
