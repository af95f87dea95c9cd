import { DseError } from '../../../core/errors.ts';
import type { Op, TensorSpec, Workload } from '../../types.ts';
import type { OnnxDim, OnnxModel, OnnxNode, OnnxValueInfo } from './decode-onnx.ts';
import { product } from './onnx-shapes.ts';

/*
 * The state of an ONNX import while its nodes are walked in dependency order: every ONNX value
 * with its concrete shape, whether it is static (an initializer or computed from initializers
 * and shapes only, which ONNX runtimes fold away before running), the workload tensor that
 * holds it when it is an activation, and the workload ops emitted so far.
 */

/** What the importer knows of one ONNX value. */
export interface Value {
  shape: number[];
  /** TensorProto.DataType of its elements (0 when unknown). */
  elemType: number;
  /** Static: known before running (an initializer, a Constant, a shape); no op computes it. */
  isStatic: boolean;
  /** The integers it holds, when static, integer and small (shape arithmetic). */
  ints?: number[];
  /** Workload tensor that holds this activation (several values may share one: Reshape, Dropout...). */
  tensor?: string;
  /** Bitwidth of the integers it was quantized to (QuantizeLinear, DequantizeLinear's input type). */
  bits?: number;
}

export type UnknownOpPolicy = 'error' | 'free';

export interface ImportOptions {
  /** Values of symbolic dims (dim_param) by name. */
  dims: Record<string, number>;
  unknownOps: UnknownOpPolicy;
}

/** Largest dim or element count accepted: beyond it the numbers stop being exact integers. */
const MAX_ELEMENTS = 2 ** 48;

export class OnnxGraph {
  readonly values = new Map<string, Value>();
  readonly tensors: Record<string, TensorSpec> = {};
  readonly ops: Op[] = [];
  /** Workload tensor id -> index of the op that produced it. */
  readonly producerOf = new Map<string, number>();
  /** How many node inputs and graph outputs read each ONNX value. */
  readonly uses = new Map<string, number>();
  /** value_info and graph output shapes, checked against the inferred ones and used for unknown ops. */
  readonly declared = new Map<string, OnnxValueInfo>();
  private readonly opNames = new Set<string>();

  constructor(
    readonly model: OnnxModel,
    readonly file: string,
    readonly options: ImportOptions,
  ) {
    for (const n of model.nodes) for (const i of n.inputs) if (i) this.uses.set(i, (this.uses.get(i) ?? 0) + 1);
    for (const o of model.outputs) this.uses.set(o.name, (this.uses.get(o.name) ?? 0) + 1);
    for (const v of [...model.valueInfo, ...model.outputs]) if (v.dims) this.declared.set(v.name, v);
  }

  fail(code: string, message: string, path = ''): never {
    throw new DseError(code, message, { path, file: this.file });
  }

  /** Resolves a declared shape: symbolic dims from the options; null when some dim stays unknown. */
  resolveDims(dims: readonly OnnxDim[]): number[] | null {
    const out: number[] = [];
    for (const d of dims) {
      const v = typeof d === 'string' ? this.options.dims[d] : d;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return null;
      out.push(v);
    }
    return out;
  }

  /** Checks a shape is made of positive integers small enough to count exactly. */
  checkShape(shape: readonly number[], what: string, path: string): void {
    for (const d of shape) {
      if (!(Number.isInteger(d) && d >= 1 && d <= MAX_ELEMENTS)) this.fail('onnx_shape', `${what} has dimension ${d} (shape [${shape.join(', ')}]); dims must be positive integers`, path);
    }
    if (product(shape) > MAX_ELEMENTS) this.fail('onnx_shape', `${what} has ${product(shape)} elements, more than the ${MAX_ELEMENTS} the importer counts exactly`, path);
  }

  get(name: string): Value {
    const v = this.values.get(name);
    if (!v) this.fail('onnx_graph', `value '${name}' is read before anything produces it`);
    return v;
  }

  set(name: string, v: Value): void {
    if (this.values.has(name)) this.fail('onnx_graph', `value '${name}' is produced twice`);
    this.values.set(name, v);
  }

  /** A workload op name from an ONNX node name, made unique (ONNX does not require unique names). */
  opName(node: OnnxNode): string {
    let name = node.name;
    for (let i = 2; this.opNames.has(name); i++) name = `${node.name}#${i}`;
    this.opNames.add(name);
    return name;
  }

  /** The workload tensor of a dynamic value: a network input the first time one is read. */
  tensorOf(name: string): string {
    const v = this.get(name);
    if (v.tensor === undefined) {
      v.tensor = this.uniqueTensorId(name);
      this.tensors[v.tensor] = { id: v.tensor, elements: product(v.shape), kind: 'input', shape: [...v.shape] };
    }
    return v.tensor;
  }

  /** Adds a workload op whose output tensor holds ONNX value `output` (shape `shape`). */
  emit(op: Op, output: string, shape: number[], extra: Partial<Value> = {}): void {
    const id = this.uniqueTensorId(output);
    op.output = id;
    this.tensors[id] = { id, elements: product(shape), kind: 'activation', shape: [...shape] };
    this.producerOf.set(id, this.ops.length);
    this.ops.push(op);
    this.set(output, { shape, elemType: extra.elemType ?? 1, isStatic: false, tensor: id, ...extra });
  }

  build(name: string, params: Record<string, number | string>): Workload {
    // Network inputs no costed op reads (a shape source, an unused input) are not part of it.
    const read = new Set(this.ops.flatMap((o) => o.inputs));
    const tensors: Record<string, TensorSpec> = {};
    for (const [id, t] of Object.entries(this.tensors)) if (t.kind === 'activation' || read.has(id)) tensors[id] = t;
    return { name, params, tensors, ops: this.ops };
  }

  private uniqueTensorId(name: string): string {
    let id = name.length > 0 ? name : 'value';
    for (let i = 2; id in this.tensors; i++) id = `${name}#${i}`;
    return id;
  }
}
