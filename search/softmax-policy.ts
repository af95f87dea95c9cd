import type { Prng } from '../core/prng.ts';

/**
 * A contextual softmax policy over a discrete action set: logits = W * context, so the
 * probabilities of the actions depend on what the agent observes (in `marl`, the episode's
 * objective weight vector, with a constant 1 as the first context component for a bias).
 * W starts at zero: a uniform policy.
 */
export class SoftmaxPolicy {
  readonly actions: number;
  readonly contextSize: number;
  /** Row-major actions x contextSize. */
  readonly weights: Float64Array;
  private logScratch: Float64Array | undefined;

  constructor(actions: number, contextSize: number) {
    this.actions = actions;
    this.contextSize = contextSize;
    this.weights = new Float64Array(actions * contextSize);
  }

  probabilities(context: readonly number[]): number[] {
    const logits = new Array<number>(this.actions);
    let max = -Infinity;
    for (let k = 0; k < this.actions; k++) {
      let z = 0;
      for (let c = 0; c < this.contextSize; c++) z += this.weights[k * this.contextSize + c]! * context[c]!;
      logits[k] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let k = 0; k < this.actions; k++) {
      logits[k] = Math.exp(logits[k]! - max);
      sum += logits[k]!;
    }
    for (let k = 0; k < this.actions; k++) logits[k] = logits[k]! / sum;
    return logits;
  }

  sample(context: readonly number[], prng: Prng): number {
    const p = this.probabilities(context);
    let u = prng.next();
    for (let k = 0; k < p.length; k++) {
      u -= p[k]!;
      if (u < 0) return k;
    }
    return p.length - 1;
  }

  /**
   * One REINFORCE step with an entropy bonus (Williams 1992; Mnih et al. 2016):
   *   W += learningRate * (advantage * grad log pi(action | context) + entropyWeight * grad H(pi)),
   * where for softmax logits z = W x: d log pi(a) / dz_k = [k = a] - pi_k and
   * dH / dz_k = -pi_k (log pi_k + H), each times x for the row of action k.
   */
  update(context: readonly number[], action: number, advantage: number, learningRate: number, entropyWeight: number, current?: readonly number[]): void {
    // `current`: this policy's probabilities for `context` when the caller already has them
    // (an agent with thousands of actions spends its time computing them).
    const p = current ?? this.probabilities(context);
    // Each log taken once (marl calls this for every replayed episode and agent after each batch).
    const logP = (this.logScratch ??= new Float64Array(this.actions));
    let entropy = 0;
    for (let k = 0; k < this.actions; k++) {
      const q = p[k]!;
      logP[k] = q > 0 ? Math.log(q) : 0;
      if (q > 0) entropy -= q * logP[k]!;
    }
    for (let k = 0; k < this.actions; k++) {
      const q = p[k]!;
      const policyGrad = advantage * ((k === action ? 1 : 0) - q);
      const entropyGrad = q > 0 ? -q * (logP[k]! + entropy) : 0;
      const g = learningRate * (policyGrad + entropyWeight * entropyGrad);
      if (g === 0) continue;
      for (let c = 0; c < this.contextSize; c++) this.weights[k * this.contextSize + c] += g * context[c]!;
    }
  }
}
