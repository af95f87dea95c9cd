import { evaluateWorkload } from '../models/cost/evaluate.ts';
import type { Hardware, TrafficPlan, Workload } from '../models/types.ts';
import { chooseBitwidths } from '../search/schedule/bitwidths.ts';
import { getSolver } from '../search/schedule/index.ts';
import { DseError } from '../core/errors.ts';
import { noisePower } from '../models/cost/quant-error.ts';
import type { StudySpec } from './study-schema.ts';

export type MixedPrecisionSpec = NonNullable<StudySpec['mixedPrecision']>;

/**
 * The workload with per-layer bitwidths chosen for this design. The error budget is relative
 * to the design's uniform bitwidths, so ratio 1 means "no less accurate than running every
 * layer at weightBits/activationBits, as cheap as possible". When a fusion plan exists, only
 * choices whose activations are no wider than the design's are offered: the plan was sized for
 * those tensors, and narrower ones still fit.
 */
export async function assignBitwidths(
  spec: MixedPrecisionSpec,
  solverName: 'highs' | 'jslp',
  timeLimitS: number,
  hw: Hardware,
  workload: Workload,
  plan: TrafficPlan | undefined,
): Promise<Workload> {
  const choices = plan ? spec.choices.filter((c) => c.activationBits <= hw.activationBits) : spec.choices;
  if (choices.length === 0) {
    throw new DseError('no_bitwidth_choice', `no mixedPrecision choice has activationBits <= the design's ${hw.activationBits} (needed with fusion)`, { path: 'mixedPrecision.choices' });
  }
  const uniformError = evaluateWorkload(hw, workload, plan).quantError;
  const result = await chooseBitwidths(hw, workload, {
    choices,
    objective: spec.objective,
    maxQuantError: uniformError * spec.maxQuantErrorRatio,
    solver: await getSolver(solverName),
    timeLimitS,
    ...(plan ? { plan } : {}),
  });
  if (!result.feasible) {
    throw new DseError('bitwidths_infeasible', `no per-layer bitwidths meet ${spec.maxQuantErrorRatio}x the uniform quantization error of ${workload.name}`, { path: 'mixedPrecision.maxQuantErrorRatio' });
  }
  return result.workload;
}

/**
 * A lower bound on the error ratio any per-layer choice can reach for a design with the given
 * uniform bitwidths. A workload's ratio is a sum of layer errors over a sum of layer errors, so
 * it is at least the smallest per-layer ratio: (noise(w) + noise(a)) / (noise(W) + noise(A)) for a
 * layer with MACs, noise(a) / noise(A) for one that only re-quantizes (quant-error.ts).
 */
export function smallestReachableRatio(choices: MixedPrecisionSpec['choices'], weightBits: number, activationBits: number): number {
  const mac = noisePower(weightBits) + noisePower(activationBits);
  let best = Infinity;
  for (const c of choices) {
    best = Math.min(best, (noisePower(c.weightBits) + noisePower(c.activationBits)) / mac, noisePower(c.activationBits) / noisePower(activationBits));
  }
  return best;
}
