/**
 * A quantization-error PROXY, not a measured accuracy loss. Uniform quantization of a value in
 * [0, 1) to b bits adds noise of power 2^(-2b) / 12 (step 2^-b, error uniform on a step). A dot
 * product of fan-in K sums K such products, so with unit-range operands the output noise power
 * is about K * (2^(-2 wb) + 2^(-2 ab)) / 12. Layers without MACs re-quantize their output:
 * 2^(-2 ab) / 12. A workload's proxy is the sum over its layers (noise adds up through depth).
 * It ranks bitwidth choices and tells where low precision hurts most; it ignores data
 * distributions, scaling factors, outliers and retraining.
 */
const NOISE_BY_BITS: number[] = Array.from({ length: 65 }, (_, b) => Math.pow(2, -2 * b) / 12);

export function noisePower(bits: number): number {
  return NOISE_BY_BITS[bits] ?? Math.pow(2, -2 * bits) / 12;
}

/** Proxy for a layer with fan-in `fanIn` (reduction length per output) and the given operand widths. */
export function dotProductQuantError(fanIn: number, bitsA: number, bitsB: number): number {
  return fanIn * (noisePower(bitsA) + noisePower(bitsB));
}

/** Proxy for an op that only re-quantizes its output (pool, element-wise). */
export function requantError(activationBits: number): number {
  return noisePower(activationBits);
}
