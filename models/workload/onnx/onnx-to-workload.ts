import { basename, extname } from 'node:path';
import { DseError } from '../../../core/errors.ts';
import type { Workload } from '../../types.ts';
import { validateGraph } from '../validate-graph.ts';
import { decodeOnnx, type OnnxModel, type OnnxNode } from './decode-onnx.ts';
import { OnnxGraph, type UnknownOpPolicy } from './onnx-graph.ts';
import { handlerFor, isKnownOp } from './onnx-ops.ts';

/** An imported ONNX workload and what the import had to say about it. */
export interface OnnxImport {
  workload: Workload;
  /** Nodes passed over as free under `unknownOps: free`, one line each. */
  warnings: string[];
}

/**
 * Turns the bytes of an .onnx file into a workload graph. `params` bind the graph's symbolic
 * dims by name (`{ batch: 4, seqLen: 512 }`), plus `unknownOps: free` to pass over operators
 * that cannot be costed (listed as warnings) instead of failing. Every user error is a DseError
 * naming the file (and the node and operator when it is about one).
 */
export function onnxToWorkload(bytes: Uint8Array, file: string, params: Record<string, number | string> = {}): OnnxImport {
  const model = decodeOnnx(bytes, file);
  const { dims, unknownOps } = bindParams(model, params, file);
  const g: OnnxGraph = new OnnxGraph(model, file, { dims, unknownOps });

  for (const init of model.initializers) {
    g.checkShape(init.dims, `initializer '${init.name}'`, `initializer.${init.name}`);
    g.set(init.name, { shape: init.dims, elemType: init.dataType, isStatic: true, ...(init.ints ? { ints: init.ints } : {}) });
  }
  for (const input of model.inputs) {
    // Older exporters list initializers among the inputs too; the initializer wins (ONNX IR < 4).
    if (g.values.has(input.name)) continue;
    const at = `input.${input.name}`;
    if (!input.dims) g.fail('onnx_shape', `graph input '${input.name}' has no shape; the importer needs every input's shape`, at);
    const shape = g.resolveDims(input.dims);
    if (!shape) {
      const sym = input.dims.filter((d): d is string => typeof d === 'string' && !(d in dims));
      if (sym.length > 0) g.fail('onnx_symbolic_dim', `graph input '${input.name}' has symbolic dim${sym.length > 1 ? 's' : ''} ${sym.map((s) => `'${s}'`).join(', ')}: bind ${sym.length > 1 ? 'them' : 'it'} with params (e.g. params: {${sym[0]}: 1} or --param ${sym[0]}=1)`, at);
      g.fail('onnx_shape', `graph input '${input.name}' has a dimension with no size (shape [${input.dims.map((d) => d ?? '?').join(', ')}])`, at);
    }
    g.checkShape(shape, `graph input '${input.name}'`, at);
    g.set(input.name, { shape, elemType: input.elemType, isStatic: false });
  }

  const order = dependencyOrder(model, g);
  const skipped: string[] = [];
  for (const i of order) {
    const n = model.nodes[i]!;
    const at = `node.${n.name}`;
    if (!n.outputs[0]) g.fail('onnx_graph', `node '${n.name}' (${n.opType}) has no output`, at);
    if (isKnownOp(n)) handlerFor(n)(g, n, at);
    else if (unknownOps === 'free') skipped.push(passOver(g, n, at));
    else {
      g.fail(
        'onnx_unknown_op',
        `node '${n.name}' (op ${n.domain ? `${n.domain}.` : ''}${n.opType}) cannot be costed; add unknownOps: free to the workload's params to pass over such nodes`,
        at,
      );
    }
    for (const out of n.outputs) if (out) checkDeclared(g, n, out, at);
  }
  if (g.ops.length === 0) g.fail('onnx_graph', 'the graph has no operator that computes on activations');

  const name = basename(file, extname(file));
  const bound: Record<string, number | string> = { ...dims };
  if (unknownOps === 'free') bound.unknownOps = 'free';
  const workload = g.build(name, bound);
  validateGraph(workload, file);
  const warnings = skipped.length > 0 ? [`${file}: passed over as free (unknownOps: free): ${skipped.join(', ')}`] : [];
  return { workload, warnings };
}

/** Splits params into symbolic-dim values and the unknown-op policy, checking each. */
function bindParams(model: OnnxModel, params: Record<string, number | string>, file: string): { dims: Record<string, number>; unknownOps: UnknownOpPolicy } {
  const symbolic = new Set<string>();
  for (const v of [...model.inputs, ...model.outputs, ...model.valueInfo]) for (const d of v.dims ?? []) if (typeof d === 'string') symbolic.add(d);
  const dims: Record<string, number> = {};
  let unknownOps: UnknownOpPolicy = 'error';
  for (const [key, raw] of Object.entries(params)) {
    if (key === 'unknownOps') {
      if (raw !== 'free' && raw !== 'error') throw new DseError('invalid_param', `unknownOps must be 'free' or 'error', got ${JSON.stringify(raw)}`, { path: `params.${key}`, file });
      unknownOps = raw;
      continue;
    }
    if (!symbolic.has(key)) {
      const known = [...symbolic].sort();
      throw new DseError('unknown_param', `the model has no symbolic dim '${key}' (${known.length > 0 ? `it has: ${known.join(', ')}` : 'all its dims are fixed'}; unknownOps is the only other parameter)`, { path: `params.${key}`, file });
    }
    const v = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2 ** 31) {
      throw new DseError('invalid_param', `${key} must be a positive integer, got ${JSON.stringify(raw)}`, { path: `params.${key}`, file });
    }
    dims[key] = v;
  }
  return { dims, unknownOps };
}

/**
 * Node indices in an order where every node comes after the producers of its inputs (ONNX asks
 * files to be sorted, but not every writer does). A node reading a value nothing provides, or a
 * cycle, is an error naming the node.
 */
function dependencyOrder(model: OnnxModel, g: OnnxGraph): number[] {
  const producer = new Map<string, number>();
  model.nodes.forEach((n, i) => {
    for (const out of n.outputs) {
      if (!out) continue;
      if (producer.has(out) || g.values.has(out)) g.fail('onnx_graph', `value '${out}' is produced twice (node '${n.name}')`, `node.${n.name}`);
      producer.set(out, i);
    }
  });
  const waiting = model.nodes.map(() => 0);
  const readers = model.nodes.map((): number[] => []);
  model.nodes.forEach((n, i) => {
    for (const name of new Set(n.inputs)) {
      if (!name || g.values.has(name)) continue;
      const p = producer.get(name);
      if (p === undefined) g.fail('onnx_graph', `node '${n.name}' (${n.opType}) reads '${name}', which no node, graph input or initializer provides`, `node.${n.name}`);
      waiting[i]! += 1;
      readers[p]!.push(i);
    }
  });
  // Among the nodes whose inputs are ready, the earliest in the file goes first: a sorted file
  // keeps its order (the order the scheduler sees), an unsorted one gets the closest valid order.
  const ready = new MinHeap();
  waiting.forEach((w, i) => w === 0 && ready.push(i));
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(i);
    for (const r of readers[i]!) if (--waiting[r]! === 0) ready.push(r);
  }
  if (order.length < model.nodes.length) {
    const stuck = model.nodes.filter((_, i) => waiting[i]! > 0).slice(0, 3).map((n) => `'${n.name}' (${n.opType})`);
    g.fail('onnx_cycle', `the graph has a cycle: nodes ${stuck.join(', ')}${model.nodes.length - order.length > 3 ? ' ...' : ''} wait on each other`);
  }
  return order;
}

/** An unknown op under `unknownOps: free`: no cost; its outputs take their declared shapes. */
function passOver(g: OnnxGraph, n: OnnxNode, at: string): string {
  for (const out of n.outputs) {
    if (!out) continue;
    const declared = g.declared.get(out);
    const shape = declared?.dims ? g.resolveDims(declared.dims) : null;
    if (!shape) g.fail('onnx_shape', `node '${n.name}' (op ${n.opType}) is passed over as free, but its output '${out}' has no known shape in value_info`, at);
    g.checkShape(shape, `value_info '${out}'`, at);
    // Its result comes from memory, like a network input.
    g.set(out, { shape, elemType: declared!.elemType, isStatic: n.inputs.every((s) => !s || g.get(s).isStatic) });
  }
  return `${n.name} (${n.opType})`;
}

/** value_info and graph outputs that state a shape must agree with the inferred one. */
function checkDeclared(g: OnnxGraph, n: OnnxNode, out: string, at: string): void {
  const d = g.declared.get(out);
  const v = g.values.get(out);
  if (!d?.dims || !v) return;
  const same = d.dims.length === v.shape.length && d.dims.every((x, i) => {
    const want = typeof x === 'string' ? g.options.dims[x] : x;
    // An unbound symbolic dim or a dim_value 0 ("unknown" for some writers) states nothing.
    return want === undefined || want === null || want === 0 || want === v.shape[i];
  });
  if (!same) {
    g.fail('onnx_shape', `node '${n.name}' (${n.opType}): output '${out}' has shape [${v.shape.join(', ')}] but the file declares [${d.dims.map((x) => x ?? '?').join(', ')}]`, at);
  }
}

/** A binary min-heap of node indices. */
class MinHeap {
  private readonly a: number[] = [];

  get size(): number {
    return this.a.length;
  }

  push(v: number): void {
    const a = this.a;
    a.push(v);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }

  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
