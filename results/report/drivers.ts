/**
 * "What drives the front": which parameter values put a design on (or near) the front, and
 * which parameters move each objective. Both are shallow CART trees fitted with ml-cart on a
 * deterministic sample of the run, sized so the whole report of a million trials stays
 * within its time budget (bench/sections/report.ts):
 * - design rules: a classification tree separating front and near-front designs (at most an
 *   additive epsilon behind some front design in every normalised objective) from the rest; each leaf that
 *   predicts "front" is a rule, scored on all front designs and on the sample, and the tree's
 *   accuracy is measured on held-out trials it was not fitted on;
 * - importance: for each objective, a regression tree on the objective's quantile level
 *   (its rank in 16 equal-count levels, so an objective spanning decades is not ruled by its
 *   largest values); a parameter's importance is the squared-error decrease of the splits on it
 *   (mean decrease in impurity), normalised to sum to 1;
 * - no effect: a parameter whose sampled designs that differ only in it always have the same
 *   value of an objective cannot move that objective in the model (dataflow and area), so a
 *   reader does not take sampling noise in other plots for a signal.
 *
 * ml-cart scores every split point between neighbouring rows of different label, which is
 * quadratic in the rows; its rows are therefore sorted by label (or level) first, so rows with
 * one parameter value and one label are neighbours and give one split point, not hundreds
 * (a depth-4 tree on 2,000 rows takes tens of milliseconds instead of seconds; same tree).
 */
import { DecisionTreeClassifier, DecisionTreeRegression, type CartNode } from 'ml-cart';
import type { ParamValue } from '../../core/types.ts';
import { conditionsOf, conditionText, encodeDesign, featureSpaceOf, satisfies, type Condition, type FeatureSpace } from './design-features.ts';
import type { DesignRule, DriversInfo, ImportanceInfo } from './model.ts';

/** Rows a tree is fitted on (the time budget: see the module comment). */
export const TREE_ROWS = 2000;
/** A trial within this distance of the front in every objective, in units of the front's extent, counts as near the front. */
export const NEAR_FRONT_EPSILON = 0.05;
const RULE_DEPTH = 3;
const IMPORTANCE_DEPTH = 4;
const LEVELS = 16;
/** One row in this many is held out to measure the rule tree's accuracy. */
const HOLD_OUT_EVERY = 5;
const MAX_RULES = 5;
/** Pairs of designs differing in one parameter needed before "cannot affect" is said. */
const MIN_PAIRS = 3;

export interface DriverTrial {
  hash: string;
  design: Record<string, ParamValue>;
  objectives: number[];
}

export interface DriversInput {
  parameters: string[];
  objectives: string[];
  domains: Map<string, ParamValue[] | null>;
  front: DriverTrial[];
  /** A uniform deterministic sample of the feasible trials (any order; it is used as given). */
  sample: DriverTrial[];
}

export function driversOf(input: DriversInput): DriversInfo | null {
  const { parameters, front, sample } = input;
  if (front.length === 0 || sample.length === 0 || parameters.length === 0) return null;
  const space = featureSpaceOf(parameters, [...front, ...sample].map((t) => t.design), input.domains);
  if (space.columns.length === 0) return null;

  const near = nearFrontFlags(front, sample, NEAR_FRONT_EPSILON);
  let started = performance.now();
  const rules = ruleTree(space, front, sample, near);
  const rulesMs = performance.now() - started;

  started = performance.now();
  const importanceRows = stride(sample, TREE_ROWS);
  const importance: ImportanceInfo[] = input.objectives.map((objective, oi) => ({
    objective,
    values: importanceOf(space, parameters, importanceRows, oi),
  }));
  const importanceMs = performance.now() - started;

  const noEffect = noEffectOf(parameters, input.objectives, [...front, ...sample]);
  const colorChoices = colorChoicesOf(parameters, space);
  const total = (p: string): number => importance.reduce((a, imp) => a + imp.values[parameters.indexOf(p)]!, 0);
  // The default colour: the most important categorical parameter (a numeric one only when there is none).
  const categorical = colorChoices.filter((p) => space.categories.has(p));
  const pool = categorical.length ? categorical : colorChoices;
  const colorBy = pool.length ? [...pool].sort((a, b) => total(b) - total(a) || pool.indexOf(a) - pool.indexOf(b))[0]! : null;

  return {
    epsilon: NEAR_FRONT_EPSILON,
    frontDesigns: front.length,
    sampleSize: sample.length,
    nearFrontInSample: near.filter(Boolean).length,
    ...rules,
    fitMs: { rules: rulesMs, importance: importanceMs },
    importanceRows: importanceRows.length,
    parameters,
    importance,
    noEffect,
    colorBy,
    colorChoices,
  };
}

/** Deterministic thinning: every (n/cap)-th item. */
function stride<T>(items: T[], cap: number): T[] {
  if (items.length <= cap) return items;
  const step = items.length / cap;
  return Array.from({ length: cap }, (_, i) => items[Math.floor(i * step)]!);
}

/**
 * Flags the sample trials within `eps` of the front: some front design is better by at most
 * eps (in units of the front's extent per objective) in every objective, i.e. the additive
 * epsilon indicator of the trial against that front design is at most eps.
 */
export function nearFrontFlags(front: DriverTrial[], sample: DriverTrial[], eps: number): boolean[] {
  const m = front[0]!.objectives.length;
  const scale = Array.from({ length: m }, (_, k) => {
    const vals = front.map((f) => f.objectives[k]!);
    const range = Math.max(...vals) - Math.min(...vals);
    if (range > 0) return range;
    const all = sample.map((t) => t.objectives[k]!);
    return Math.max(...all) - Math.min(...all) || 1;
  });
  const onFront = new Set(front.map((f) => f.hash));
  return sample.map((t) => {
    if (onFront.has(t.hash)) return true;
    return front.some((f) => f.objectives.every((v, k) => t.objectives[k]! <= v + eps * scale[k]!));
  });
}

type RulesPart = Pick<DriversInfo, 'rules' | 'trainRows' | 'heldOutRows' | 'heldOutAccuracy' | 'heldOutRecall' | 'rulesNote'>;

function ruleTree(space: FeatureSpace, front: DriverTrial[], sample: DriverTrial[], near: boolean[]): RulesPart {
  const frontHashes = new Set(front.map((f) => f.hash));
  const positives = [...front, ...sample.filter((t, i) => near[i] && !frontHashes.has(t.hash))];
  const negatives = sample.filter((_, i) => !near[i]);
  const empty = { rules: [], trainRows: 0, heldOutRows: 0, heldOutAccuracy: null, heldOutRecall: null };
  if (negatives.length === 0) return { ...empty, rulesNote: 'every sampled trial is on or near the front: there is nothing to separate' };
  // Balanced classes (at most half the rows from each side), so a small front is not outvoted.
  const pos = stride(positives, Math.max(TREE_ROWS / 2, TREE_ROWS - negatives.length));
  const neg = stride(negatives, TREE_ROWS - pos.length);
  const train: { x: number[]; y: number }[] = [];
  const held: { x: number[]; y: number }[] = [];
  [pos, neg].forEach((group, label) => {
    group.forEach((t, i) => (i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1 ? held : train).push({ x: encodeDesign(space, t.design), y: label === 0 ? 1 : 0 }));
  });
  train.sort((a, b) => a.y - b.y);
  const tree = new DecisionTreeClassifier({ maxDepth: RULE_DEPTH, minNumSamples: Math.max(5, Math.floor(train.length / 100)), gainThreshold: 1e-3 });
  tree.train(train.map((r) => r.x), train.map((r) => r.y));

  const predicted = held.map((r) => (isPositiveLeaf(leafOf(tree.root, r.x)) ? 1 : 0));
  const correct = predicted.filter((p, i) => p === held[i]!.y).length;
  const heldPositives = held.filter((r) => r.y === 1);
  const recalled = held.filter((r, i) => r.y === 1 && predicted[i] === 1).length;

  const rules: DesignRule[] = [];
  for (const path of positivePaths(tree.root)) {
    const conditions: Condition[] = conditionsOf(space, path);
    const text = conditions.length ? conditions.map((c) => conditionText(space, c)).join(' and ') : 'any design';
    const matched = sample.map((t, i) => [satisfies(t.design, conditions), near[i]!] as const).filter(([m]) => m);
    rules.push({
      text,
      conditions,
      frontCovered: front.filter((f) => satisfies(f.design, conditions)).length,
      sampleMatched: matched.length,
      sampleMatchedNear: matched.filter(([, n]) => n).length,
    });
  }
  rules.sort((a, b) => b.frontCovered - a.frontCovered || b.sampleMatchedNear / Math.max(1, b.sampleMatched) - a.sampleMatchedNear / Math.max(1, a.sampleMatched));
  return {
    rules: rules.slice(0, MAX_RULES),
    trainRows: train.length,
    heldOutRows: held.length,
    heldOutAccuracy: held.length ? correct / held.length : null,
    heldOutRecall: heldPositives.length ? recalled / heldPositives.length : null,
    rulesNote: rules.length ? null : 'the tree found no group of designs that is mostly on or near the front',
  };
}

function isLeaf(n: CartNode): boolean {
  return !(n.left && n.right) || n.splitColumn === undefined || n.splitValue === undefined;
}

function leafOf(root: CartNode, x: number[]): CartNode {
  let n = root;
  while (!isLeaf(n)) n = x[n.splitColumn!]! < n.splitValue! ? n.left! : n.right!;
  return n;
}

function isPositiveLeaf(n: CartNode): boolean {
  const d = n.distribution;
  return typeof d === 'object' && d !== null && d.columns > 1 && d.get(0, 1) > 0.5;
}

type Split = { column: number; threshold: number; greaterOrEqual: boolean };

function positivePaths(node: CartNode, path: Split[] = []): Split[][] {
  if (isLeaf(node)) return isPositiveLeaf(node) ? [path] : [];
  const c = node.splitColumn!, v = node.splitValue!;
  return [
    ...positivePaths(node.left!, [...path, { column: c, threshold: v, greaterOrEqual: false }]),
    ...positivePaths(node.right!, [...path, { column: c, threshold: v, greaterOrEqual: true }]),
  ];
}

/** The objective's quantile level (0..LEVELS-1) of each row: its rank in equal-count groups. */
function levelsOf(values: number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const levels = new Array<number>(values.length);
  order.forEach((row, rank) => (levels[row] = Math.floor((rank * LEVELS) / values.length)));
  // Ties share the lowest level among them, so equal objectives never land in different levels.
  for (let k = 1; k < order.length; k++) {
    if (values[order[k]!] === values[order[k - 1]!]) levels[order[k]!] = levels[order[k - 1]!]!;
  }
  return levels;
}

/** Mean decrease in squared error per parameter of a regression tree on the objective's level; sums to 1 (all 0 when nothing splits). */
function importanceOf(space: FeatureSpace, parameters: string[], rows: DriverTrial[], oi: number): number[] {
  const levels = levelsOf(rows.map((t) => t.objectives[oi]!));
  const data = rows.map((t, i) => ({ x: encodeDesign(space, t.design), y: levels[i]! })).sort((a, b) => a.y - b.y);
  const out = new Array<number>(parameters.length).fill(0);
  if (new Set(levels).size < 2) return out;
  const tree = new DecisionTreeRegression({ maxDepth: IMPORTANCE_DEPTH, minNumSamples: Math.max(5, Math.floor(data.length / 100)) });
  tree.train(data.map((r) => r.x), data.map((r) => r.y));
  const walk = (n: CartNode, members: typeof data): void => {
    if (isLeaf(n) || members.length === 0) return;
    const left = members.filter((r) => r.x[n.splitColumn!]! < n.splitValue!);
    const right = members.filter((r) => !(r.x[n.splitColumn!]! < n.splitValue!));
    const decrease = sse(members) - sse(left) - sse(right);
    out[parameters.indexOf(space.columns[n.splitColumn!]!.parameter)]! += Math.max(0, decrease);
    walk(n.left!, left);
    walk(n.right!, right);
  };
  walk(tree.root, data);
  const sum = out.reduce((a, b) => a + b, 0);
  return sum > 0 ? out.map((v) => v / sum) : out;
}

function sse(rows: { y: number }[]): number {
  if (rows.length === 0) return 0;
  const mean = rows.reduce((a, r) => a + r.y, 0) / rows.length;
  return rows.reduce((a, r) => a + (r.y - mean) ** 2, 0);
}

/**
 * (parameter, objective) pairs the model cannot connect: among the trials, designs that are
 * equal in every other parameter but differ in this one always share the objective's value
 * (at least MIN_PAIRS such pairs seen).
 */
function noEffectOf(parameters: string[], objectives: string[], trials: DriverTrial[]): { parameter: string; objective: string; pairs: number }[] {
  // Values numbered per parameter, so a group's key is a number (mixed radix over the other
  // parameters) rather than the JSON of the design: this runs over every sampled trial once
  // per parameter. Spaces too large for an exact number fall back to a string key.
  const codes = parameters.map((p) => codesOf(trials, (t) => t.design[p] ?? null));
  const valueCodes = parameters.map((p) => codesOf(trials, (t) => String(t.design[p])));
  const out: { parameter: string; objective: string; pairs: number }[] = [];
  parameters.forEach((p, pi) => {
    const others = codes.filter((_, qi) => qi !== pi);
    const exact = others.reduce((a, c) => a * c.count, 1) <= Number.MAX_SAFE_INTEGER;
    const groups = new Map<number | string, number[]>();
    trials.forEach((_, ti) => {
      let key: number | string = 0;
      if (exact) for (const c of others) key = (key as number) * c.count + c.codes[ti]!;
      else key = others.map((c) => c.codes[ti]!).join(',');
      const g = groups.get(key);
      if (g) g.push(ti);
      else groups.set(key, [ti]);
    });
    objectives.forEach((objective, oi) => {
      let pairs = 0;
      let moved = false;
      for (const g of groups.values()) {
        const byValue = new Map<number, number>();
        const value = valueCodes[pi]!.codes;
        for (const ti of g) if (!byValue.has(value[ti]!)) byValue.set(value[ti]!, trials[ti]!.objectives[oi]!);
        if (byValue.size < 2) continue;
        pairs += byValue.size - 1;
        const vals = [...byValue.values()];
        const lo = Math.min(...vals), hi = Math.max(...vals);
        if (hi - lo > 1e-9 * Math.max(Math.abs(lo), Math.abs(hi))) moved = true;
      }
      if (!moved && pairs >= MIN_PAIRS) out.push({ parameter: p, objective, pairs });
    });
  });
  return out;
}

/** Each trial's value (as `valueOf` gives it) numbered in order of first appearance (equal values, equal codes), and how many values there are. */
function codesOf<V>(trials: DriverTrial[], valueOf: (t: DriverTrial) => V): { codes: Uint32Array; count: number } {
  const ids = new Map<V, number>();
  const codes = Uint32Array.from(trials, (t) => {
    const v = valueOf(t);
    let id = ids.get(v);
    if (id === undefined) ids.set(v, (id = ids.size));
    return id;
  });
  return { codes, count: ids.size };
}

/** Parameters worth colouring points by: categorical ones, and numeric ones with at most 8 values seen. */
function colorChoicesOf(parameters: string[], space: FeatureSpace): string[] {
  return parameters.filter((p) => space.categories.has(p) || (space.numericValues.get(p)?.length ?? 99) <= 8);
}
