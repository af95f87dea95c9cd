import { z } from 'zod';
import { DseError, isDseError } from '../../core/errors.ts';
import { validate } from '../../core/validate.ts';
import { outputSize } from '../op-size.ts';
import type { EltwiseFn, Op, TensorSpec, Workload } from '../types.ts';
import { validateGraph } from './validate-graph.ts';

/*
 * A user workload as a list of layers (YAML or JSON). Each layer states its own sizes; tensor
 * sizes are derived from them, and a layer reading an earlier one must agree with it on the
 * number of elements, which catches most typos in hand-written lists.
 */

const size = z.number().int().positive();
const pair = z.union([size, z.tuple([size, size])]);
const padding = z.union([z.number().int().min(0), z.tuple([z.number().int().min(0), z.number().int().min(0)])]);
const bitsField = z.number().int().min(1).max(32);

const common = {
  name: z.string().min(1).describe('unique layer name'),
  inputs: z
    .array(z.string().min(1))
    .optional()
    .describe("names of earlier layers this one reads, in operand order; 'input' = a network input; default: the previous layer"),
  weightBits: bitsField.optional(),
  activationBits: bitsField.optional(),
  batch: size.optional().describe('overrides defaults.batch'),
};

const conv2d = z.strictObject({
  ...common,
  type: z.literal('conv2d'),
  inH: size,
  inW: size,
  inC: size,
  outC: size,
  kernel: pair.describe('k or [kH, kW]'),
  stride: pair.default(1),
  padding: padding.default(0),
  groups: size.default(1),
});

const depthwise = z.strictObject({
  ...common,
  type: z.literal('depthwise'),
  inH: size,
  inW: size,
  channels: size,
  kernel: pair,
  stride: pair.default(1),
  padding: padding.default(0),
});

const linear = z.strictObject({
  ...common,
  type: z.literal('linear'),
  rows: size.default(1).describe('rows per sample (tokens for a transformer)'),
  inFeatures: size,
  outFeatures: size,
});

const matmul = z.strictObject({
  ...common,
  type: z.literal('matmul'),
  m: size,
  n: size,
  k: size,
  count: size.default(1).describe('independent products per sample (heads)'),
  weightOperand: z.boolean().default(false).describe('true: B is a stored weight (one input); false: two activation inputs'),
});

const attention = z.strictObject({
  ...common,
  type: z.literal('attention'),
  heads: size,
  headDim: size,
  seqQ: size,
  seqKV: size.optional().describe('default seqQ'),
  causal: z.boolean().default(false),
});

const pool = z.strictObject({
  ...common,
  type: z.literal('pool'),
  mode: z.enum(['max', 'avg']),
  inH: size,
  inW: size,
  channels: size,
  kernel: pair,
  stride: pair.optional().describe('default the kernel'),
  padding: padding.default(0),
});

const ELTWISE_FNS = ['add', 'mul', 'relu', 'relu6', 'gelu', 'silu', 'layernorm', 'softmax'] as const satisfies readonly EltwiseFn[];

const eltwise = z.strictObject({
  ...common,
  type: z.enum(ELTWISE_FNS),
  elements: size.optional().describe('elements per sample; default: those of the first input'),
});

const layerSchema = z.discriminatedUnion('type', [conv2d, depthwise, linear, matmul, attention, pool, eltwise]);

export const layerListSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  defaults: z
    .strictObject({
      batch: size.default(1),
      weightBits: bitsField.optional(),
      activationBits: bitsField.optional(),
    })
    .default({ batch: 1 }),
  layers: z.array(layerSchema).min(1, 'needs at least one layer'),
});

export type LayerList = z.infer<typeof layerListSchema>;
type Layer = LayerList['layers'][number];

const hw = (p: number | [number, number]): [number, number] => (typeof p === 'number' ? [p, p] : p);

/** Validates a parsed YAML/JSON layer list and turns it into a Workload graph. */
export function layerListToWorkload(data: unknown, file?: string): Workload {
  const list = validate(layerListSchema, data, { file });
  const tensors: Record<string, TensorSpec> = {};
  const ops: Op[] = [];
  const byName = new Map<string, number>();

  list.layers.forEach((layer, i) => {
    const at = `layers.${i}`;
    const fail = (path: string, message: string): never => {
      throw new DseError('invalid_workload', `${layer.name}: ${message}`, { path: `${at}${path}`, file });
    };
    if (byName.has(layer.name) || layer.name === 'input') {
      fail('.name', layer.name === 'input' ? "'input' is reserved for network inputs" : 'layer name is used twice');
    }
    const batch = layer.batch ?? list.defaults.batch;
    const prevId = i > 0 ? list.layers[i - 1]!.name : 'input';
    const refs = layer.inputs ?? [prevId];

    // What the layer's own sizes say each operand holds; null = taken from the operand itself.
    const operandElements = expectedOperands(layer, batch);
    if (refs.length !== operandElements.length) {
      const hint = layer.inputs === undefined ? " (only one is implied: list them in 'inputs')" : '';
      fail('.inputs', `${layer.type} takes ${operandElements.length} input${operandElements.length > 1 ? 's' : ''}, got ${refs.length}${hint}`);
    }
    const inputIds = refs.map((ref, j) => {
      if (ref === 'input') {
        const need = operandElements[j] ?? operandElements.find((e) => e !== null);
        if (need === null || need === undefined) fail(`.elements`, "reads a network input, so give 'elements'");
        const id = `${layer.name}.in${j}`;
        tensors[id] = { id, elements: need!, kind: 'input' };
        return id;
      }
      const k = byName.get(ref);
      if (k === undefined) fail(`.inputs.${j}`, `'${ref}' is not an earlier layer`);
      const have = tensors[ref]!.elements;
      const need = operandElements[j];
      if (need !== null && need !== undefined && need !== have) {
        fail(`.inputs.${j}`, `reads '${ref}' (${have} elements) but its own sizes need ${need}`);
      }
      return ref;
    });
    checkOperandShapes(layer, batch, inputIds.map((id) => tensors[id]!), fail);
    const { op, shape } = toOp(layer, batch, inputIds, tensors[inputIds[0]!]!);
    const wb = layer.weightBits ?? list.defaults.weightBits;
    const ab = layer.activationBits ?? list.defaults.activationBits;
    if (wb !== undefined) op.weightBits = wb;
    if (ab !== undefined) op.activationBits = ab;
    if (shape.some((d) => !(d >= 1))) fail('.kernel', `sizes give an empty output (shape [${shape.join(', ')}]): does the kernel fit the input?`);
    const elements = shape.reduce((a, b) => a * b, 1);
    tensors[layer.name] = { id: layer.name, elements, kind: 'activation', shape };
    ops.push(op);
    byName.set(layer.name, i);
  });

  const w: Workload = { name: list.name, params: {}, tensors, ops };
  try {
    validateGraph(w, file);
  } catch (e) {
    // Ops and layers share indices; point at the layer the user wrote.
    if (isDseError(e)) throw new DseError(e.code, e.message, { path: e.path.replace(/^ops\[(\d+)\]/, 'layers.$1'), file });
    throw e;
  }
  return w;
}

function shapeText(t: TensorSpec): string {
  return t.shape ? `shape [${t.shape.join(', ')}], ${t.elements} elements` : `${t.elements} elements`;
}

/**
 * Operands that must agree with each other or with the layer, checked when the list is
 * loaded (the element counts alone are checked above): add and mul join two tensors of one
 * shape (the output takes the first one's); attention reads q, k and v shaped
 * [batch, seq, heads * headDim] when their producers give them a 3-D shape.
 */
function checkOperandShapes(layer: Layer, batch: number, inputs: TensorSpec[], fail: (path: string, message: string) => never): void {
  if ((layer.type === 'add' || layer.type === 'mul') && inputs.length === 2) {
    const [a, b] = inputs as [TensorSpec, TensorSpec];
    // A flat [n] shape (an element-wise layer given only 'elements') says nothing about layout.
    const sameShape = !a.shape || !b.shape || a.shape.length < 2 || b.shape.length < 2 || a.shape.join(',') === b.shape.join(',');
    if (a.elements !== b.elements || !sameShape) {
      fail('.inputs.1', `${layer.type} joins '${a.id}' (${shapeText(a)}) and '${b.id}' (${shapeText(b)}); they must have the same shape`);
    }
  }
  if (layer.type === 'attention') {
    const width = layer.heads * layer.headDim;
    const seqs = [layer.seqQ, layer.seqKV ?? layer.seqQ, layer.seqKV ?? layer.seqQ];
    inputs.forEach((t, j) => {
      if (!t.shape || t.shape.length !== 3) return;
      const want = [batch, seqs[j]!, width];
      if (t.shape.join(',') !== want.join(',')) {
        fail(`.inputs.${j}`, `${['q', 'k', 'v'][j]} input '${t.id}' has shape [${t.shape.join(', ')}], but the layer needs [${want.join(', ')}] (batch, ${j === 0 ? 'seqQ' : 'seqKV'}, heads * headDim)`);
      }
    });
  }
}

function expectedOperands(layer: Layer, batch: number): (number | null)[] {
  switch (layer.type) {
    case 'conv2d':
      return [batch * layer.inC * layer.inH * layer.inW];
    case 'depthwise':
    case 'pool':
      return [batch * layer.channels * layer.inH * layer.inW];
    case 'linear':
      return [batch * layer.rows * layer.inFeatures];
    case 'matmul': {
      const a = batch * layer.count * layer.m * layer.k;
      return layer.weightOperand ? [a] : [a, batch * layer.count * layer.k * layer.n];
    }
    case 'attention': {
      const kv = batch * (layer.seqKV ?? layer.seqQ) * layer.heads * layer.headDim;
      return [batch * layer.seqQ * layer.heads * layer.headDim, kv, kv];
    }
    default: {
      const e = layer.elements === undefined ? null : batch * layer.elements;
      return layer.type === 'add' || layer.type === 'mul' ? [e, e] : [e];
    }
  }
}

function toOp(layer: Layer, batch: number, inputs: string[], first: TensorSpec): { op: Op; shape: number[] } {
  const base = { name: layer.name, inputs, output: layer.name };
  switch (layer.type) {
    case 'conv2d':
    case 'depthwise': {
      const [kH, kW] = hw(layer.kernel);
      const [strideH, strideW] = hw(layer.stride);
      const [padH, padW] = hw(layer.padding);
      const inC = layer.type === 'conv2d' ? layer.inC : layer.channels;
      const outC = layer.type === 'conv2d' ? layer.outC : layer.channels;
      const groups = layer.type === 'conv2d' ? layer.groups : layer.channels;
      const op: Op = { ...base, kind: 'conv2d', batch, inH: layer.inH, inW: layer.inW, inC, outC, kH, kW, strideH, strideW, padH, padW, groups };
      return { op, shape: [batch, outC, outputSize(layer.inH, kH, strideH, padH), outputSize(layer.inW, kW, strideW, padW)] };
    }
    case 'linear':
      return {
        op: { ...base, kind: 'matmul', m: batch * layer.rows, n: layer.outFeatures, k: layer.inFeatures, count: 1, weightOperand: true },
        shape: [batch, layer.rows, layer.outFeatures],
      };
    case 'matmul':
      // A stored weight is shared by the whole batch: fold the batch into the rows so the
      // weight is counted once; products of two activations repeat per sample.
      return {
        op: layer.weightOperand
          ? { ...base, kind: 'matmul', m: batch * layer.m, n: layer.n, k: layer.k, count: layer.count, weightOperand: true }
          : { ...base, kind: 'matmul', m: layer.m, n: layer.n, k: layer.k, count: batch * layer.count, weightOperand: false },
        shape: [batch * layer.count, layer.m, layer.n],
      };
    case 'attention': {
      const seqKV = layer.seqKV ?? layer.seqQ;
      return {
        op: { ...base, kind: 'attention', batch, heads: layer.heads, seqQ: layer.seqQ, seqKV, headDim: layer.headDim, causal: layer.causal },
        shape: [batch, layer.seqQ, layer.heads * layer.headDim],
      };
    }
    case 'pool': {
      const [kH, kW] = hw(layer.kernel);
      const [strideH, strideW] = hw(layer.stride ?? layer.kernel);
      const [padH, padW] = hw(layer.padding);
      return {
        op: { ...base, kind: 'pool', mode: layer.mode, batch, channels: layer.channels, inH: layer.inH, inW: layer.inW, kH, kW, strideH, strideW, padH, padW },
        shape: [batch, layer.channels, outputSize(layer.inH, kH, strideH, padH), outputSize(layer.inW, kW, strideW, padW)],
      };
    }
    default: {
      const elements = layer.elements === undefined ? first.elements : batch * layer.elements;
      const shape = elements === first.elements && first.shape ? [...first.shape] : [elements];
      return { op: { ...base, kind: 'eltwise', fn: layer.type, elements }, shape };
    }
  }
}
