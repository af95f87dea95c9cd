import { Model, type Solver } from './model.ts';
import type { ScheduleProblem, TensorInfo } from './replay.ts';

/**
 * The residency / order / fusion ILP for a contiguous range of ops (a "piece"); see
 * docs/SCHEDULING.md for the full statement. Positions 0..n-1 within the piece:
 *
 *   x[k,p]  binary   op k runs at position p (only for p in [lo_k, hi_k], its earliest and
 *                    latest position given its ancestors and descendants inside the piece)
 *   r[t,p]  binary   tensor t is on chip while the op at position p runs
 *   ld[t,p] in [0,1] t is loaded from DRAM at p (becomes resident without being produced)
 *   w[t]    in [0,1] activation t is written to DRAM (needed as soon as it is ever reloaded)
 *
 *   sum_p x[k,p] = 1, sum_k x[k,p] = 1                          (a permutation)
 *   sum_{q<=p} x[c,q] <= sum_{q<p} x[j,q]   for edges j -> c     (topological)
 *   r[t,p] >= x[u,p]            for every on-chip use u of t     (operands on chip)
 *   r[t,p] <= sum_{q<=p} x[prod,q]                               (not before it exists)
 *   r[t,p] <= sum_u sum_{q>=p} x[u,q]                            (not after its last use)
 *   ld[t,p] >= r[t,p] - r[t,p-1] - x[prod,p]                     (arriving = produced or loaded)
 *   w[t] >= ld[t,p]                                              (a reload needs a write)
 *   sum_t bytes_t r[t,p] <= capacity                             (live-memory model)
 *   minimise sum bytes_t (sum_p ld[t,p] + w[t]) + constant DRAM bytes
 *
 * The objective is the piece's activation DRAM traffic exactly as replay.ts counts it.
 * Ops that run tiled (streamed) never hold tensors: their inputs are read from DRAM and
 * their outputs written (constants), and they are not on-chip uses.
 */

export interface PieceBoundary {
  /** The output of the op just before the piece is on chip when the piece starts (an exact cut). */
  handoffIn: boolean;
  /** The output of the piece's last op stays on chip for the next piece, which accounts for it. */
  handoffOut: boolean;
}

export interface PieceDecision {
  /** Op indices (global) in execution order. */
  order: number[];
  /** [consumer op index, tensor id] pairs read from on-chip memory. */
  onChipReads: [number, string][];
  /** Activations produced in this piece that are never written to DRAM. */
  onChipWrites: string[];
}

export interface PieceModel {
  model: Model;
  decode(values: number[]): PieceDecision;
  /** Number of ops whose position is free (0 means the order is fixed). */
  freeOps: number;
}

type Lin = { terms: [number, number][]; constant: number };
const ZERO: Lin = { terms: [], constant: 0 };
const ONE: Lin = { terms: [], constant: 1 };

/** Builds the ILP of ops start..end (inclusive, a contiguous range of the problem's op order). */
export function buildPieceModel(problem: ScheduleProblem, start: number, end: number, boundary: PieceBoundary): PieceModel {
  const n = end - start + 1;
  const ops = problem.ops;
  const inPiece = (i: number): boolean => i >= start && i <= end;
  const model = new Model();

  // Ancestors / descendants inside the piece bound each op's position.
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < n; k++) {
    for (const id of ops[start + k]!.inputs) {
      const prod = problem.tensors.get(id)!.producer;
      if (inPiece(prod)) preds[k]!.push(prod - start);
    }
  }
  const anc: Set<number>[] = [];
  for (let k = 0; k < n; k++) {
    const s = new Set<number>();
    for (const j of preds[k]!) {
      s.add(j);
      for (const a of anc[j]!) s.add(a);
    }
    anc.push(s);
  }
  const descCount = new Array<number>(n).fill(0);
  for (let k = 0; k < n; k++) for (const a of anc[k]!) descCount[a]!++;
  const lo = anc.map((s) => s.size);
  const hi = descCount.map((d) => n - 1 - d);

  const x: Lin[][] = [];
  let freeOps = 0;
  for (let k = 0; k < n; k++) {
    const row: Lin[] = new Array<Lin>(n).fill(ZERO);
    if (lo[k] === hi[k]) row[lo[k]!] = ONE;
    else {
      freeOps++;
      for (let p = lo[k]!; p <= hi[k]!; p++) row[p] = { terms: [[model.addVar(`x_${k}_${p}`, 'binary'), 1]], constant: 0 };
    }
    x.push(row);
  }
  if (freeOps > 0) {
    for (let k = 0; k < n; k++) if (lo[k] !== hi[k]) addLin(model, `assign_op${k}`, x[k]!.slice(lo[k], hi[k]! + 1), '=', 1);
    for (let p = 0; p < n; p++) {
      const col = x.map((row) => row[p]!).filter((l) => l.terms.length > 0 || l.constant !== 0);
      if (col.some((l) => l.terms.length > 0)) addLin(model, `assign_pos${p}`, col, '=', 1);
    }
    for (let k = 0; k < n; k++) {
      for (const j of preds[k]!) {
        if (lo[k] === hi[k] && lo[j] === hi[j]) continue;
        // c has run by p only if j had run by p-1.
        for (let p = lo[k]!; p <= hi[j]!; p++) {
          model.addConstraint(`prec_${j}_${k}_${p}`, [...prefix(x[k]!, p).terms, ...neg(prefix(x[j]!, p - 1)).terms], '<=', prefix(x[j]!, p - 1).constant - prefix(x[k]!, p).constant);
        }
      }
    }
  }

  const objective: [number, number][] = [];
  let constant = 0;
  const occupancy: Lin[] = Array.from({ length: n }, () => ({ terms: [], constant: 0 }));
  // Per tensor: residency expressions by position, for decoding.
  const resident = new Map<string, Lin[]>();
  const writeVar = new Map<string, Lin>();
  const tensorsHere = new Set<string>();
  for (let i = start; i <= end; i++) {
    for (const id of ops[i]!.inputs) tensorsHere.add(id);
    tensorsHere.add(ops[i]!.output);
  }
  // Streamed ops read every input from DRAM.
  for (let i = start; i <= end; i++) if (ops[i]!.streamed) for (const id of ops[i]!.inputs) constant += problem.tensors.get(id)!.bytes;

  for (const id of tensorsHere) {
    const t = problem.tensors.get(id)!;
    const cls = classify(problem, t, start, end, boundary);
    if (cls.forcedWrite) constant += t.bytes;
    const prodLocal = inPiece(t.producer) ? t.producer - start : -1;
    const prodOnChip = prodLocal >= 0 && !ops[t.producer]!.streamed;
    const onChipConsumers = t.consumers.filter((c) => inPiece(c) && !ops[c]!.streamed).map((c) => c - start);
    const users = prodOnChip ? [prodLocal, ...onChipConsumers] : onChipConsumers;
    if (users.length === 0) continue;
    const a = prodLocal >= 0 ? lo[prodLocal]! : 0;
    const b = Math.max(...users.map((u) => hi[u]!));
    const r: Lin[] = new Array<Lin>(n).fill(ZERO);
    for (let p = a; p <= b; p++) {
      const forced = users.some((u) => lo[u] === p && hi[u] === p);
      if (forced) r[p] = ONE;
      else r[p] = { terms: [[model.addVar(`r_${id}_${p}`, 'binary'), 1]], constant: 0 };
    }
    resident.set(id, r);
    for (let p = a; p <= b; p++) {
      const rp = r[p]!;
      occupancy[p]!.terms.push(...rp.terms.map(([v, c]) => [v, c * t.bytes] as [number, number]));
      occupancy[p]!.constant += rp.constant * t.bytes;
      if (rp.terms.length === 0) continue;
      for (const u of users) if (p >= lo[u]! && p <= hi[u]!) addGe(model, `use_${id}_${u}_${p}`, rp, x[u]![p]!);
      if (prodLocal >= 0) addGe(model, `born_${id}_${p}`, prefix(x[prodLocal]!, p), rp);
      const later: Lin = { terms: [], constant: 0 };
      for (const u of users) {
        const s = suffix(x[u]!, p);
        later.terms.push(...s.terms);
        later.constant += s.constant;
      }
      if (later.constant < 1) addGe(model, `dies_${id}_${p}`, later, rp);
    }
    // Loads: arriving on chip without being produced here.
    if (onChipConsumers.length === 0) continue;
    const initial = cls.initiallyOnChip ? ONE : ZERO;
    const loads: Lin[] = [];
    for (let p = a; p <= b; p++) {
      const prev = p === a ? (a === 0 ? initial : ZERO) : r[p - 1]!;
      // ld >= r[p] - prev - x[prod,p]; skip when it is trivially <= 0.
      const rhs: Lin = sub(r[p]!, prev);
      const arriving = prodOnChip ? sub(rhs, x[prodLocal]![p]!) : rhs;
      if (arriving.terms.length === 0 && arriving.constant <= 0) continue;
      const ld = model.addVar(`ld_${id}_${p}`, 'continuous', 0, 1);
      model.addConstraint(`load_${id}_${p}`, [[ld, 1], ...neg(arriving).terms], '>=', arriving.constant);
      objective.push([ld, t.bytes]);
      loads.push({ terms: [[ld, 1]], constant: 0 });
    }
    if (cls.writeDecided && loads.length > 0) {
      const w = model.addVar(`w_${id}`, 'continuous', 0, 1);
      for (const l of loads) model.addConstraint(`write_${id}_${l.terms[0]![0]}`, [[w, 1], [l.terms[0]![0], -1]], '>=', 0);
      objective.push([w, t.bytes]);
      writeVar.set(id, { terms: [[w, 1]], constant: 0 });
    }
  }
  for (let p = 0; p < n; p++) {
    // A handed-off output is in `occupancy` at its producer's position (it is an operand there).
    const occ = occupancy[p]!;
    if (occ.terms.length === 0) {
      if (occ.constant > problem.capacityBytes) model.addConstraint(`cap_${p}`, [], '<=', problem.capacityBytes - occ.constant);
      continue;
    }
    model.addConstraint(`cap_${p}`, occ.terms, '<=', problem.capacityBytes - occ.constant);
  }
  model.minimize(objective, constant);

  const decode = (values: number[]): PieceDecision => {
    const val = (l: Lin): number => l.constant + l.terms.reduce((s, [v, c]) => s + c * (values[v] ?? 0), 0);
    const order: number[] = new Array<number>(n).fill(-1);
    for (let k = 0; k < n; k++) for (let p = lo[k]!; p <= hi[k]!; p++) if (val(x[k]![p]!) > 0.5) order[p] = start + k;
    if (order.includes(-1)) throw new Error('ilp: decoded order is not a permutation');
    const posOf = new Map(order.map((op, p) => [op, p]));
    const onChipReads: [number, string][] = [];
    const onChipWrites: string[] = [];
    for (const [id, r] of resident) {
      const t = problem.tensors.get(id)!;
      const cls = classify(problem, t, start, end, boundary);
      const prodPos = inPiece(t.producer) && !ops[t.producer]!.streamed ? posOf.get(t.producer)! : undefined;
      const consumers = t.consumers.filter((c) => inPiece(c) && !ops[c]!.streamed).map((c) => posOf.get(c)!).sort((a2, b2) => a2 - b2);
      // Start of the current residency run: the last on-chip use, or the piece start for a handoff.
      let prevUse: number | undefined = prodPos ?? (cls.initiallyOnChip ? -1 : undefined);
      for (const p of consumers) {
        let kept = prevUse !== undefined;
        if (kept) for (let q = Math.max(0, prevUse! + 1); q <= p; q++) if (val(r[q]!) < 0.5) kept = false;
        if (kept) onChipReads.push([order[p]!, id]);
        prevUse = p;
      }
      const produced = inPiece(t.producer) || cls.initiallyOnChip;
      if (produced && !t.isInput && !cls.forcedWrite && cls.writeDecided && !ops[t.producer]!.streamed) {
        const w = writeVar.get(id);
        if (!w || val(w) < 0.5) onChipWrites.push(id);
      }
    }
    return { order, onChipReads, onChipWrites };
  };
  return { model, decode, freeOps };
}

interface TensorClass {
  /** On chip when the piece starts (handed off from the op just before it). */
  initiallyOnChip: boolean;
  /** A DRAM write of t that this piece accounts for whatever it decides. */
  forcedWrite: boolean;
  /** This piece decides whether t is written (it holds t's on-chip life and t needs no forced write). */
  writeDecided: boolean;
}

/** Whether t, produced by the piece's last op, stays on chip for the next piece. */
function handedOff(problem: ScheduleProblem, t: TensorInfo, start: number, end: number, boundary: PieceBoundary): boolean {
  return boundary.handoffOut && t.producer === end && !problem.ops[end]!.streamed && t.consumers.some((c) => c > end);
}

/**
 * Who pays for a tensor's write. A tensor's write is counted by exactly one piece: the piece
 * that holds its on-chip life when the tensor is handed over on chip across an exact cut, and
 * otherwise the piece that produces it (crossing a forced split it must go through DRAM).
 */
function classify(problem: ScheduleProblem, t: TensorInfo, start: number, end: number, boundary: PieceBoundary): TensorClass {
  const ops = problem.ops;
  const inPiece = (i: number): boolean => i >= start && i <= end;
  const consumedOutside = t.consumers.some((c) => !inPiece(c));
  const streamedConsumerHere = t.consumers.some((c) => inPiece(c) && ops[c]!.streamed);
  if (t.isInput) return { initiallyOnChip: false, forcedWrite: false, writeDecided: false };
  if (inPiece(t.producer)) {
    if (handedOff(problem, t, start, end, boundary)) return { initiallyOnChip: false, forcedWrite: false, writeDecided: false };
    const forced = t.isOutput || ops[t.producer]!.streamed || consumedOutside || streamedConsumerHere;
    return { initiallyOnChip: false, forcedWrite: forced, writeDecided: !forced };
  }
  // Produced before the piece.
  const handoff = boundary.handoffIn && t.producer === start - 1 && !ops[t.producer]!.streamed;
  if (!handoff) return { initiallyOnChip: false, forcedWrite: false, writeDecided: false };
  const forced = consumedOutside || streamedConsumerHere;
  return { initiallyOnChip: true, forcedWrite: forced, writeDecided: !forced };
}

function prefix(row: Lin[], p: number): Lin {
  const out: Lin = { terms: [], constant: 0 };
  for (let q = 0; q <= p && q < row.length; q++) {
    out.terms.push(...row[q]!.terms);
    out.constant += row[q]!.constant;
  }
  return out;
}

function suffix(row: Lin[], p: number): Lin {
  const out: Lin = { terms: [], constant: 0 };
  for (let q = Math.max(0, p); q < row.length; q++) {
    out.terms.push(...row[q]!.terms);
    out.constant += row[q]!.constant;
  }
  return out;
}

function neg(l: Lin): Lin {
  return { terms: l.terms.map(([v, c]) => [v, -c]), constant: -l.constant };
}

function sub(a: Lin, b: Lin): Lin {
  return { terms: [...a.terms, ...neg(b).terms], constant: a.constant - b.constant };
}

/** sum(parts) sense rhs, moving constants to the right. */
function addLin(model: Model, name: string, parts: Lin[], sense: '<=' | '>=' | '=', rhs: number): void {
  const terms: [number, number][] = [];
  let c = 0;
  for (const l of parts) {
    terms.push(...l.terms);
    c += l.constant;
  }
  model.addConstraint(name, terms, sense, rhs - c);
}

/** a >= b. */
function addGe(model: Model, name: string, a: Lin, b: Lin): void {
  const d = sub(a, b);
  model.addConstraint(name, d.terms, '>=', -d.constant);
}

/**
 * Exact decomposition points. Op i is a cut when every earlier op is its ancestor, every later
 * op its descendant, and no tensor but i's own output is used both at or before i and after
 * i. Then every topological order runs the ops before i first and those after i last, and the
 * only thing the two sides share is i's output, on chip at the moment i runs (an operand). The
 * side before i never sees that tensor again, so its decisions and costs are independent of
 * the side after i given the cut: the optimum of the whole is the sum of the pieces' optima.
 * Returns inclusive [start, end] ranges; every range but the last ends at a cut.
 *
 * Linear in ops and tensor uses. Where no tensor but i's output crosses the boundary after i
 * (the third condition), every edge from an op <= i to an op > i leaves i, so: every earlier op
 * is an ancestor of i iff each reaches an op >= i (its furthest descendant, `reach`), and every
 * later op a descendant of i iff each has an ancestor <= i (its earliest ancestor, `root`).
 * Why: ancestor bitsets were n^2/32 words and an O(n^2) count, which made a 2,560-block decoder
 * (41k ops) spend most of its ILP schedule here, and a 10,240-block one minutes.
 */
export function exactPieces(problem: ScheduleProblem): [number, number][] {
  const n = problem.ops.length;
  if (n === 0) return [];
  // root[j]: smallest op index among j's ancestors (n when it has none).
  const root = new Array<number>(n).fill(n);
  for (let j = 0; j < n; j++) {
    for (const id of problem.ops[j]!.inputs) {
      const prod = problem.tensors.get(id)!.producer;
      if (prod >= 0) root[j] = Math.min(root[j]!, prod, root[prod]!);
    }
  }
  // reach[j]: largest op index among j's descendants (-1 when it has none).
  const reach = new Array<number>(n).fill(-1);
  for (let j = n - 1; j >= 0; j--) {
    for (const c of problem.tensors.get(problem.ops[j]!.output)?.consumers ?? []) reach[j] = Math.max(reach[j]!, c, reach[c]!);
  }
  // laterRoot[i]: largest root among ops after i (every later op descends from i iff <= i).
  const laterRoot = new Array<number>(n).fill(-1);
  for (let i = n - 2; i >= 0; i--) laterRoot[i] = Math.max(laterRoot[i + 1]!, root[i + 1]!);
  // crossing[i]: tensors used at or before i and consumed after i, other than i's output.
  const lastConsumer = new Map<string, number>();
  const firstUse = new Map<string, number>();
  for (const t of problem.tensors.values()) {
    if (t.consumers.length > 0) lastConsumer.set(t.id, Math.max(...t.consumers));
    firstUse.set(t.id, t.producer >= 0 ? t.producer : t.consumers.length > 0 ? Math.min(...t.consumers) : n);
  }
  // Count tensors open across each boundary with a difference array over [firstUse, lastConsumer).
  const open = new Array<number>(n + 1).fill(0);
  for (const [id, last] of lastConsumer) {
    const f = firstUse.get(id)!;
    if (f < last) { open[f]!++; open[last]!--; }
  }
  const pieces: [number, number][] = [];
  let start = 0;
  let running = 0;
  // Smallest reach among ops before i (every earlier op is an ancestor of i iff >= i).
  let earlierReach = Infinity;
  for (let i = 0; i < n; i++) {
    running += open[i]!;
    // Tensors open across the boundary after i; i's own output counts when consumed later.
    const own = lastConsumer.has(problem.ops[i]!.output) ? 1 : 0;
    const isCut = i < n - 1 && running - own === 0 && earlierReach >= i && laterRoot[i]! <= i;
    earlierReach = Math.min(earlierReach, reach[i]!);
    if (isCut) {
      pieces.push([start, i]);
      start = i + 1;
    }
  }
  pieces.push([start, n - 1]);
  return pieces;
}

export interface RangeOutcome {
  decision: PieceDecision;
  /** Activation DRAM bytes of the range, as the model counts them. */
  objective: number;
  /** Proven lower bound on that objective, when known. */
  bound: number | undefined;
  proven: boolean;
  solveMs: number;
  /** Whether a solver ran (false when the lower-bound shortcut settled the piece). */
  usedSolver: boolean;
}

/**
 * Solves the ILP of one range. Returns undefined when the solver found no feasible solution
 * in its time (the caller falls back); the model is always feasible when every op fits, since
 * layer-by-layer execution satisfies it. `lowerBoundShortcut` false always runs the solver
 * (ScheduleOptions.exactShortcuts, for cross-checks).
 */
export async function solveRangeIlp(
  problem: ScheduleProblem, start: number, end: number, boundary: PieceBoundary, solver: Solver, timeLimitS: number,
  lowerBoundShortcut = true,
): Promise<RangeOutcome | undefined> {
  const trivial = lowerBoundShortcut ? keepEverything(problem, start, end, boundary) : undefined;
  if (trivial) return trivial;
  const pm = buildPieceModel(problem, start, end, boundary);
  const res = await solver(pm.model, { timeLimitS });
  if (res.values.length === 0 && pm.model.vars.length > 0) return undefined;
  const decision = pm.decode(res.values);
  return { decision, objective: res.objective, bound: res.proven ? res.objective : res.bound, proven: res.proven, solveMs: res.solveMs, usedSolver: true };
}

/**
 * Exact shortcut. Every term of the piece's objective is non-negative, so its constant plus one
 * load of every tensor that must arrive from DRAM (a network input, or an activation that is
 * in DRAM when the piece starts) is a lower bound. Keeping every tensor on chip from its first
 * on-chip use to its last, in the workload's own order, reaches that bound; when it fits the
 * capacity at every step it is therefore optimal, and no solver is needed.
 */
function keepEverything(problem: ScheduleProblem, start: number, end: number, boundary: PieceBoundary): RangeOutcome | undefined {
  const ops = problem.ops;
  const n = end - start + 1;
  const inPiece = (i: number): boolean => i >= start && i <= end;
  const occupancy = new Array<number>(n).fill(0);
  let objective = 0;
  const onChipReads: [number, string][] = [];
  const onChipWrites: string[] = [];
  const seen = new Set<string>();
  for (let i = start; i <= end; i++) {
    const op = ops[i]!;
    if (op.streamed) for (const id of op.inputs) objective += problem.tensors.get(id)!.bytes;
    for (const id of [...op.inputs, op.output]) {
      if (seen.has(id)) continue;
      seen.add(id);
      const t = problem.tensors.get(id)!;
      const cls = classify(problem, t, start, end, boundary);
      if (cls.forcedWrite) objective += t.bytes;
      const prodOnChip = inPiece(t.producer) && !ops[t.producer]!.streamed;
      const consumers = t.consumers.filter((c) => inPiece(c) && !ops[c]!.streamed);
      const uses = prodOnChip ? [t.producer, ...consumers] : consumers;
      if (uses.length === 0) continue;
      const first = cls.initiallyOnChip ? start : uses[0]!;
      const last = uses[uses.length - 1]!;
      for (let p = first; p <= last; p++) occupancy[p - start]! += t.bytes;
      const loadedFirst = !prodOnChip && !cls.initiallyOnChip;
      if (loadedFirst && consumers.length > 0) objective += t.bytes;
      consumers.forEach((c, k) => { if (!(loadedFirst && k === 0)) onChipReads.push([c, id]); });
      if (cls.writeDecided) onChipWrites.push(id);
    }
  }
  if (occupancy.some((b) => b > problem.capacityBytes)) return undefined;
  const order = Array.from({ length: n }, (_, k) => start + k);
  return { decision: { order, onChipReads, onChipWrites }, objective, bound: objective, proven: true, solveMs: 0, usedSolver: false };
}
