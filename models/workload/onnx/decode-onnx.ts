import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';
import { DseError } from '../../../core/errors.ts';
import { ONNX_PROTO_TEXT } from './onnx-proto.ts';

/*
 * Bytes of an .onnx file -> a plain description of its main graph. Only what shape inference
 * and costing need is kept: nodes with their attributes, value shapes, initializer dims and
 * the integer data of small initializers (Reshape targets, Split sizes...). Weight data is never
 * read: an initializer whose data lives in an external file is taken by its dims alone.
 */

/** One dimension: a size, the name of a symbolic dim (`batch`), or null when nothing says. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  /** TensorProto.DataType of the elements (0 when not given). */
  elemType: number;
  /** null: the value has no shape at all. */
  dims: OnnxDim[] | null;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** The values of a small integer tensor stored in the file, else null. */
  ints: number[] | null;
}

export interface OnnxAttribute {
  name: string;
  i?: number;
  f?: number;
  s?: string;
  ints?: number[];
  t?: OnnxTensor;
}

export interface OnnxNode {
  /** The node's name, or `<opType>_<index>` when it has none. */
  name: string;
  opType: string;
  /** '' (or 'ai.onnx') for the standard operators. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, OnnxAttribute>;
}

export interface OnnxModel {
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
  initializers: OnnxTensor[];
  nodes: OnnxNode[];
}

/** Integer tensors up to this many elements keep their values (shape arithmetic needs them). */
const MAX_INT_VALUES = 4096;

const INT32 = 6;
const INT64 = 7;

let modelType: protobuf.Type | undefined;

/**
 * The ModelProto decoder, built on first use: protobufjs is loaded only then (it takes tens of
 * milliseconds), so workers and commands that never meet an ONNX file do not pay for it.
 */
function onnxModelType(): protobuf.Type {
  if (!modelType) {
    const pb = createRequire(import.meta.url)('protobufjs') as typeof protobuf;
    modelType = pb.parse(ONNX_PROTO_TEXT, { keepCase: true }).root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

type Msg = Record<string, unknown>;

/** Decodes a serialized ModelProto; anything unreadable is a DseError naming the file. */
export function decodeOnnx(bytes: Uint8Array, file: string): OnnxModel {
  if (bytes.length === 0) throw new DseError('invalid_onnx', 'empty file, not an ONNX model', { file });
  let m: Msg;
  try {
    m = onnxModelType().decode(bytes) as unknown as Msg;
  } catch (e) {
    throw new DseError('invalid_onnx', `not a readable ONNX model (truncated or corrupt protobuf: ${firstLine(e)})`, { file });
  }
  const graph = m.graph as Msg | null | undefined;
  if (!graph) throw new DseError('invalid_onnx', 'the model has no graph', { file });
  const nodes = ((graph.node as Msg[] | undefined) ?? []).map((n, i) => toNode(n, i));
  return {
    inputs: ((graph.input as Msg[] | undefined) ?? []).map(toValueInfo),
    outputs: ((graph.output as Msg[] | undefined) ?? []).map(toValueInfo),
    valueInfo: ((graph.value_info as Msg[] | undefined) ?? []).map(toValueInfo),
    initializers: ((graph.initializer as Msg[] | undefined) ?? []).map(toTensor),
    nodes,
  };
}

function toNode(n: Msg, index: number): OnnxNode {
  const opType = str(n.op_type);
  const attrs = new Map<string, OnnxAttribute>();
  for (const a of (n.attribute as Msg[] | undefined) ?? []) {
    const attr: OnnxAttribute = { name: str(a.name) };
    if (has(a, 'i')) attr.i = num(a.i);
    if (has(a, 'f')) attr.f = Number(a.f);
    if (has(a, 's')) attr.s = printable(Buffer.from(a.s as Uint8Array).toString('utf8'));
    const ints = a.ints as unknown[] | undefined;
    if (ints && ints.length > 0) attr.ints = ints.map(num);
    if (a.t) attr.t = toTensor(a.t as Msg);
    attrs.set(attr.name, attr);
  }
  const name = str(n.name);
  return {
    name: name.length > 0 ? name : `${opType || 'node'}_${index}`,
    opType,
    domain: str(n.domain),
    inputs: ((n.input as unknown[] | undefined) ?? []).map(str),
    outputs: ((n.output as unknown[] | undefined) ?? []).map(str),
    attrs,
  };
}

function toValueInfo(v: Msg): OnnxValueInfo {
  const tensorType = (v.type as Msg | null | undefined)?.tensor_type as Msg | null | undefined;
  const shape = tensorType?.shape as Msg | null | undefined;
  const dims = shape ? ((shape.dim as Msg[] | undefined) ?? []).map(toDim) : null;
  return { name: str(v.name), elemType: tensorType ? num(tensorType.elem_type) : 0, dims };
}

function toDim(d: Msg): OnnxDim {
  if (has(d, 'dim_value')) return num(d.dim_value);
  const p = str(d.dim_param);
  return p.length > 0 ? p : null;
}

function toTensor(t: Msg): OnnxTensor {
  const dims = ((t.dims as unknown[] | undefined) ?? []).map(num);
  const dataType = num(t.data_type);
  const count = dims.reduce((a, b) => a * b, 1);
  return { name: str(t.name), dims, dataType, ints: count <= MAX_INT_VALUES ? intValues(t, dataType, count) : null };
}

/** Values of an INT64/INT32 tensor stored in the file itself; null when absent (external, or another type). */
function intValues(t: Msg, dataType: number, count: number): number[] | null {
  if (dataType !== INT64 && dataType !== INT32) return null;
  const listed = ((dataType === INT64 ? t.int64_data : t.int32_data) as unknown[] | undefined) ?? [];
  if (listed.length === count) return listed.map(num);
  const raw = t.raw_data as Uint8Array | undefined;
  const width = dataType === INT64 ? 8 : 4;
  if (!raw || raw.length !== count * width) return null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(width === 8 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true));
  return out;
}

function has(m: Msg, key: string): boolean {
  // protobufjs decodes proto2 optionals with defaults on the prototype; own properties were on the wire.
  return Object.prototype.hasOwnProperty.call(m, key);
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return Number(v ?? 0);
}

/**
 * Names and strings from the file, with control characters and line separators escaped (\xNN,
 * \uNNNN), so every message quoting them stays one inert line. Applied to every name alike, so
 * names still match each other.
 */
function str(v: unknown): string {
  return typeof v === 'string' ? printable(v) : '';
}

function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
