import type { Workload } from '../models/types.ts';

/**
 * What one run of a workload delivers: `inferences` (images or sequences: its batch) and
 * `tokens` (tokens it produces or processes: decode makes one per sequence, prefill and
 * encoders process batch x seqLen; null for networks without tokens). Read from the workload's
 * build parameters, so zoo networks, Hugging Face configs and ONNX imports bound with the same
 * `batch`/`seqLen`/`phase` params all count alike.
 */
export interface WorkloadCounts {
  inferences: number;
  tokens: number | null;
}

export function workloadCounts(w: Workload): WorkloadCounts {
  const batch = typeof w.params.batch === 'number' ? w.params.batch : 1;
  if (w.params.phase === 'decode') return { inferences: batch, tokens: batch };
  const seqLen = w.params.seqLen;
  return { inferences: batch, tokens: typeof seqLen === 'number' ? batch * seqLen : null };
}
