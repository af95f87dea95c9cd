import { DseError } from '../../core/errors.ts';
import { opWeightReadElements } from '../../models/op-size.ts';
import type { TrafficPlan, Workload } from '../../models/types.ts';

/**
 * The scheduling problem in plain terms, and an independent simulator that replays a schedule.
 *
 * Live-memory model (whole-tensor residency, as in COSMA): while an op runs from on-chip
 * memory, all its input tensors and its output tensor are on chip, plus every tensor kept
 * resident for a later consumer. A tensor is on chip from the moment it is produced or
 * loaded until the schedule drops it; it can be read back from DRAM only if it is in DRAM
 * (a network input, or an activation written out earlier). Weights stream from DRAM once
 * through the filter path and are not part of the whole-tensor live set.
 *
 * An op whose own footprint (inputs + output) exceeds the capacity cannot run from on-chip
 * memory. With `oversizedOps: 'infeasible'` (COSMA's model) the problem is then infeasible;
 * with `'stream'` (the default for design search) such an op runs tiled, layer by layer: it
 * reads every input from DRAM and writes its output to DRAM, and holds no whole tensor itself.
 */

export interface TensorInfo {
  id: string;
  bytes: number;
  /** Network input: in DRAM from the start, never written. */
  isInput: boolean;
  /** Index of the producing op, -1 for network inputs. */
  producer: number;
  /** Indices of consuming ops (each once), ascending. */
  consumers: number[];
  /** An activation no op consumes: a network output, written once (compulsory). */
  isOutput: boolean;
}

export interface OpInfo {
  name: string;
  /** Distinct input tensor ids. */
  inputs: string[];
  output: string;
  /** Inputs plus output, bytes: the op's own whole-tensor footprint. */
  footprintBytes: number;
  /** Runs tiled from DRAM because its footprint exceeds the capacity (oversizedOps 'stream'). */
  streamed: boolean;
  weightBytes: number;
}

export type OversizedOps = 'stream' | 'infeasible';

export interface ScheduleProblem {
  capacityBytes: number;
  oversizedOps: OversizedOps;
  ops: OpInfo[];
  opIndex: Map<string, number>;
  tensors: Map<string, TensorInfo>;
  /** False when some op cannot run from on-chip memory and oversizedOps is 'infeasible'. */
  feasible: boolean;
  weightBytes: number;
  /** Network inputs read once, network outputs written once, weights read once. */
  compulsoryDramBytes: number;
}

export interface ProblemOptions {
  capacityBytes: number;
  activationBits: number;
  /** Default weight bitwidth; defaults to activationBits. */
  weightBits?: number;
  oversizedOps?: OversizedOps;
}

/** Bytes of `elements` values of `bits` each (sub-byte values are packed). */
export function tensorBytes(elements: number, bits: number): number {
  return Math.ceil((elements * bits) / 8);
}

export function buildProblem(workload: Workload, opts: ProblemOptions): ScheduleProblem {
  if (!(opts.capacityBytes >= 0)) throw new DseError('schedule.capacity', `capacity must be a non-negative number of bytes, got ${opts.capacityBytes}`, { path: 'capacityBytes' });
  if (!(opts.activationBits > 0)) throw new DseError('schedule.bits', `activationBits must be positive, got ${opts.activationBits}`, { path: 'activationBits' });
  const weightBitsDefault = opts.weightBits ?? opts.activationBits;
  const oversizedOps = opts.oversizedOps ?? 'stream';
  const opIndex = new Map<string, number>();
  workload.ops.forEach((op, i) => {
    if (opIndex.has(op.name)) throw new DseError('schedule.workload', `duplicate op name '${op.name}'`, { path: `ops[${i}].name` });
    opIndex.set(op.name, i);
  });
  const tensors = new Map<string, TensorInfo>();
  const bitsOf = new Map<string, number>();
  workload.ops.forEach((op, i) => {
    if (bitsOf.has(op.output)) throw new DseError('schedule.workload', `tensor '${op.output}' is produced twice`, { path: `ops[${i}].output` });
    bitsOf.set(op.output, op.activationBits ?? opts.activationBits);
  });
  const info = (id: string, where: string): TensorInfo => {
    let t = tensors.get(id);
    if (t) return t;
    const spec = workload.tensors[id];
    if (!spec) throw new DseError('schedule.workload', `unknown tensor '${id}'`, { path: where });
    t = { id, bytes: tensorBytes(spec.elements, bitsOf.get(id) ?? opts.activationBits), isInput: spec.kind === 'input', producer: -1, consumers: [], isOutput: false };
    tensors.set(id, t);
    return t;
  };
  const ops: OpInfo[] = workload.ops.map((op, i) => {
    const inputs = [...new Set(op.inputs)];
    for (const id of inputs) {
      const t = info(id, `ops[${i}].inputs`);
      if (t.producer === -1 && !t.isInput) throw new DseError('schedule.workload', `op '${op.name}' reads '${id}' before any op produces it (ops must be in topological order)`, { path: `ops[${i}].inputs` });
      t.consumers.push(i);
    }
    const out = info(op.output, `ops[${i}].output`);
    if (out.isInput) throw new DseError('schedule.workload', `op '${op.name}' writes network input '${op.output}'`, { path: `ops[${i}].output` });
    out.producer = i;
    const footprintBytes = out.bytes + inputs.reduce((s, id) => s + tensors.get(id)!.bytes, 0);
    const weightBytes = tensorBytes(opWeightReadElements(op), op.weightBits ?? weightBitsDefault);
    return { name: op.name, inputs, output: op.output, footprintBytes, streamed: false, weightBytes };
  });
  let feasible = true;
  for (const op of ops) {
    if (op.footprintBytes > opts.capacityBytes) {
      if (oversizedOps === 'stream') op.streamed = true;
      else feasible = false;
    }
  }
  let compulsory = 0;
  let weightBytes = 0;
  for (const op of ops) weightBytes += op.weightBytes;
  for (const t of tensors.values()) {
    t.isOutput = !t.isInput && t.consumers.length === 0;
    if ((t.isInput && t.consumers.length > 0) || t.isOutput) compulsory += t.bytes;
  }
  return { capacityBytes: opts.capacityBytes, oversizedOps, ops, opIndex, tensors, feasible, weightBytes, compulsoryDramBytes: compulsory + weightBytes };
}

/** A schedule: an execution order plus which reads and writes stay on chip (TrafficPlan terms). */
export interface Schedule {
  order: string[];
  plan: TrafficPlan;
}

/** A tensor kept on chip across other ops for a later consumer (a residual skip, K and V). */
export interface ResidencyDecision {
  tensor: string;
  bytes: number;
  /** The use it is kept from (producer or earlier consumer) and the consumer it is kept for. */
  from: string;
  to: string;
  /** Ops that run while it stays resident. */
  across: string[];
}

/** A tensor written to DRAM and read back (or an input re-read) because it could not stay. */
export interface SpillDecision {
  tensor: string;
  bytes: number;
  written: boolean;
  readBackBy: string[];
}

export interface ReplayOk {
  ok: true;
  dramReadBytes: number;
  dramWriteBytes: number;
  /** Activation traffic plus weights. */
  dramBytes: number;
  nonCompulsoryDramBytes: number;
  peakOnChipBytes: number;
  /** On-chip bytes while each op (in schedule order) runs. */
  onChipBytesByStep: number[];
  groups: string[][];
  residency: ResidencyDecision[];
  spills: SpillDecision[];
}

export interface ReplayRejected {
  ok: false;
  reason: string;
}

export type ReplayResult = ReplayOk | ReplayRejected;

/**
 * Replays a schedule step by step and recomputes every byte from scratch; it shares no code
 * with the solvers. A schedule is rejected when its order is not a topological order of all
 * ops, an on-chip read finds the tensor not resident, a DRAM read finds it not in DRAM, a
 * network output is never written, or the live set exceeds the capacity at some step.
 */
export function replaySchedule(problem: ScheduleProblem, schedule: Schedule): ReplayResult {
  const reject = (reason: string): ReplayRejected => ({ ok: false, reason });
  const { ops, tensors } = problem;
  if (schedule.order.length !== ops.length) return reject(`order has ${schedule.order.length} ops, the workload ${ops.length}`);
  const orderIdx = schedule.order.map((n) => problem.opIndex.get(n) ?? -1);
  if (orderIdx.includes(-1)) return reject(`order names an unknown op '${schedule.order[orderIdx.indexOf(-1)]}'`);
  if (new Set(orderIdx).size !== ops.length) return reject('order repeats an op');
  const position = new Map<number, number>();
  orderIdx.forEach((op, p) => position.set(op, p));
  const onChipReads = schedule.plan.onChipReads;
  const onChipWrites = new Set(schedule.plan.onChipWrites);
  for (const name of Object.keys(onChipReads)) if (!problem.opIndex.has(name)) return reject(`plan.onChipReads names unknown op '${name}'`);

  // Positions of each tensor's consumers in schedule order; on-chip residency only concerns
  // consumers that run from on-chip memory (a tiled op reads from DRAM whatever is resident).
  const allUses = new Map<string, number[]>();
  const onChipUses = new Map<string, number[]>();
  for (const t of tensors.values()) {
    allUses.set(t.id, t.consumers.map((c) => position.get(c)!).sort((a, b) => a - b));
    onChipUses.set(t.id, t.consumers.filter((c) => !ops[c]!.streamed).map((c) => position.get(c)!).sort((a, b) => a - b));
  }
  const readsOnChip = (opName: string, t: string): boolean => (onChipReads[opName] ?? []).includes(t);

  const resident = new Set<string>();
  const inDram = new Set<string>();
  for (const t of tensors.values()) if (t.isInput) inDram.add(t.id);
  const produced = new Set<string>();
  const lastTouch = new Map<string, number>();
  let reads = 0;
  let writes = 0;
  let peak = 0;
  const byStep: number[] = [];
  const residency: ResidencyDecision[] = [];
  const spillReads = new Map<string, string[]>();
  const groups: string[][] = [];
  let groupProduced = new Set<string>();

  for (let p = 0; p < orderIdx.length; p++) {
    const op = ops[orderIdx[p]!]!;
    for (const id of op.inputs) {
      const t = tensors.get(id)!;
      if (!t.isInput && !produced.has(id)) return reject(`step ${p}: '${op.name}' reads '${id}' before it is produced`);
    }
    let joinsGroup = false;
    if (op.streamed) {
      for (const id of op.inputs) {
        if (readsOnChip(op.name, id)) return reject(`step ${p}: '${op.name}' runs tiled from DRAM but the plan reads '${id}' on chip`);
        if (!inDram.has(id)) return reject(`step ${p}: '${op.name}' reads '${id}' from DRAM, but it was never written`);
        reads += tensors.get(id)!.bytes;
        if (!(tensors.get(id)!.isInput && allUses.get(id)![0] === p)) pushTo(spillReads, id, op.name);
      }
    } else {
      for (const id of op.inputs) {
        if (readsOnChip(op.name, id)) {
          if (!resident.has(id)) return reject(`step ${p}: '${op.name}' reads '${id}' on chip, but it is not resident`);
          const from = lastTouch.get(id)!;
          if (from < p - 1) {
            residency.push({ tensor: id, bytes: tensors.get(id)!.bytes, from: ops[orderIdx[from]!]!.name, to: op.name, across: schedule.order.slice(from + 1, p) });
          }
          if (groupProduced.has(id)) joinsGroup = true;
        } else {
          if (!inDram.has(id)) return reject(`step ${p}: '${op.name}' reads '${id}' from DRAM, but it was never written`);
          reads += tensors.get(id)!.bytes;
          resident.add(id);
          const t = tensors.get(id)!;
          const firstInputRead = t.isInput && allUses.get(id)![0] === p;
          if (!firstInputRead) pushTo(spillReads, id, op.name);
        }
      }
      resident.add(op.output);
    }
    produced.add(op.output);
    if (!joinsGroup || groups.length === 0) {
      groups.push([]);
      groupProduced = new Set();
    }
    groups[groups.length - 1]!.push(op.name);
    groupProduced.add(op.output);

    let live = 0;
    for (const id of resident) live += tensors.get(id)!.bytes;
    byStep.push(live);
    peak = Math.max(peak, live);
    if (live > problem.capacityBytes) return reject(`step ${p}: '${op.name}' needs ${live} bytes on chip, capacity is ${problem.capacityBytes}`);

    // The output goes to DRAM unless the plan keeps it on chip only.
    const out = tensors.get(op.output)!;
    if (op.streamed || !onChipWrites.has(op.output)) {
      if (op.streamed && onChipWrites.has(op.output)) return reject(`step ${p}: '${op.name}' runs tiled from DRAM, its output cannot stay on chip only`);
      writes += out.bytes;
      inDram.add(op.output);
    } else if (out.isOutput) {
      return reject(`network output '${op.output}' is never written to DRAM`);
    }
    // Each touched tensor stays resident only if its next on-chip use reads it on chip.
    const touched = op.streamed ? [] : [...op.inputs, op.output];
    for (const id of touched) {
      lastTouch.set(id, p);
      const next = onChipUses.get(id)!.find((q) => q > p);
      const keep = next !== undefined && readsOnChip(schedule.order[next]!, id);
      if (!keep) resident.delete(id);
    }
  }
  const dramBytes = reads + writes + problem.weightBytes;
  const spills: SpillDecision[] = [...spillReads.entries()].map(([id, by]) => {
    const t = tensors.get(id)!;
    return { tensor: id, bytes: t.bytes, written: !t.isInput, readBackBy: by };
  });
  return {
    ok: true,
    dramReadBytes: reads,
    dramWriteBytes: writes,
    dramBytes,
    nonCompulsoryDramBytes: dramBytes - problem.compulsoryDramBytes,
    peakOnChipBytes: peak,
    onChipBytesByStep: byStep,
    groups,
    residency,
    spills,
  };
}

function pushTo(m: Map<string, string[]>, k: string, v: string): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
