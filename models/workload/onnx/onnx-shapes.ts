/*
 * Shape arithmetic of the ONNX operators the importer costs, after the ONNX operator
 * specification (https://onnx.ai/onnx/operators/). Pure functions over concrete shapes; each
 * returns null (or throws via the caller's `fail`) when the operands do not fit.
 */

export function product(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

/** Multidirectional (numpy) broadcasting; null when two dims differ and neither is 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

/** Begin and end padding plus output size of one spatial axis of a Conv or pool window. */
export interface WindowAxis {
  padBegin: number;
  padEnd: number;
  out: number;
}

/**
 * One spatial axis of Conv/MaxPool/AveragePool: explicit pads (NOTSET), or auto_pad SAME_*
 * (output ceil(in / stride), the padding split with the odd one at the end for SAME_UPPER) or
 * VALID (no padding). `ceil` is the pools' ceil_mode.
 */
export function windowAxis(inSize: number, k: number, stride: number, dilation: number, autoPad: AutoPad, pads: [number, number], ceil = false): WindowAxis {
  const span = (k - 1) * dilation + 1;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max(0, (out - 1) * stride + span - inSize);
    const small = Math.floor(total / 2);
    return autoPad === 'SAME_UPPER' ? { padBegin: small, padEnd: total - small, out } : { padBegin: total - small, padEnd: small, out };
  }
  const [padBegin, padEnd] = autoPad === 'VALID' ? [0, 0] : pads;
  const room = inSize + padBegin + padEnd - span;
  let out = (ceil ? Math.ceil(room / stride) : Math.floor(room / stride)) + 1;
  // ceil_mode never starts a window inside the end padding (PyTorch's and ONNX Runtime's rule).
  if (ceil && (out - 1) * stride >= inSize + padBegin) out -= 1;
  return { padBegin, padEnd, out };
}

/** ConvTranspose output size of one axis (ONNX: stride*(in-1) + output_padding + span - pads). */
export function transposedAxis(inSize: number, k: number, stride: number, dilation: number, outputPadding: number, autoPad: AutoPad, pads: [number, number]): number {
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return inSize * stride;
  const [b, e] = autoPad === 'VALID' ? [0, 0] : pads;
  return stride * (inSize - 1) + outputPadding + (k - 1) * dilation + 1 - b - e;
}

/** Reshape's target: 0 copies the input dim (unless allowzero), one -1 takes the rest. */
export function reshapeTarget(input: readonly number[], spec: readonly number[], allowZero: boolean): number[] | null {
  const out = spec.map((d, i) => (d === 0 && !allowZero ? input[i] ?? NaN : d));
  const free = out.filter((d) => d === -1).length;
  if (free > 1 || out.some((d) => !(Number.isInteger(d) && d >= -1))) return null;
  const total = product(input);
  if (free === 1) {
    const known = product(out.filter((d) => d !== -1));
    if (known === 0 || total % known !== 0) return null;
    return out.map((d) => (d === -1 ? total / known : d));
  }
  return product(out) === total ? out : null;
}

/** Normalises a possibly negative axis against a rank; null when out of range. */
export function axisOf(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : null;
}

/** Start/end/step of Slice on one axis, clamped as the ONNX spec says; returns the kept length. */
export function sliceLength(dim: number, start: number, end: number, step: number): number {
  if (step === 0) return -1;
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
    return Math.max(0, Math.ceil((e - s) / step));
  }
  s = clamp(s, -1, dim - 1);
  e = clamp(e, -1, dim - 1);
  return Math.max(0, Math.ceil((s - e) / -step));
}
