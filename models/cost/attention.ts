/**
 * Off-chip traffic of one attention head (per batch element), in elements, for the schedules an
 * accelerator can run, and the cheapest that fits. N_q queries, N_kv keys, head dimension d,
 * on-chip memory M elements. References: FlashAttention (Dao et al., NeurIPS 2022), its
 * Algorithm 1 and I/O analysis; FlashAttention-2 (Dao, 2023) for the query-outer loop order;
 * Saha & Ye (2024) for the lower bound. Every schedule reads Q, K, V and writes O at least once
 * (2 N_q d + 2 N_kv d, i.e. 4Nd for self-attention), which is the compulsory traffic here.
 *
 *   standard:  S = QK^T and P = softmax(S) go through DRAM: + 4 N_q N_kv (write S, read S,
 *              write P, read P). Needs one row of S on chip (N_kv <= M).
 *   flash1:    FlashAttention Algorithm 1 (K/V blocks outer, Q/O blocks inner), with the paper's
 *              block sizes B_c = ceil(M / 4d), B_r = min(B_c, d), T_c = ceil(N_kv / B_c):
 *              2 N_kv d + T_c (3 N_q d + 4 N_q) (Q read, O read and written, row statistics
 *              l and m read and written once per K/V block). Needs M >= 4d.
 *   flash2:    query blocks outer (FlashAttention-2 order): a block of B_r query rows and its
 *              output accumulator stay on chip while K and V stream in blocks of B_c = min(N_kv, d)
 *              rows; Q read once, O written once, K and V once per query block:
 *              2 N_q d + 2 N_kv d * ceil(N_q / B_r). Footprint 2 B_c d + B_r (2d + B_c + 2).
 *   kvResident: K and V whole on chip (B_c = N_kv) and query rows stream: compulsory traffic.
 *              Footprint 2 N_kv d + B_r (2d + N_kv + 2) with B_r >= 1.
 * Tensors the schedule keeps on chip (resident) cost no traffic and no footprint.
 */

import { attentionPairs } from '../op-size.ts';
import type { AttentionOp } from '../types.ts';

export interface AttentionShape {
  seqQ: number;
  seqKV: number;
  headDim: number;
}

export interface AttentionResidency {
  q: boolean;
  k: boolean;
  v: boolean;
  o: boolean;
}

export type AttentionSchedule = 'kvResident' | 'flash2' | 'flash1' | 'standard' | 'stream';

export interface AttentionTraffic {
  schedule: AttentionSchedule;
  readElements: number;
  /** The part of readElements that is K and V (they may be stored at another width). */
  kvReadElements: number;
  writeElements: number;
  /** Query rows per block (flash1/flash2/kvResident) or 0. */
  blockRows: number;
  /** Key rows per block (flash1/flash2/kvResident) or 0. */
  blockCols: number;
}

/**
 * How an attention op's work divides under grouped-query attention: the heads / kvHeads query
 * heads of a group attend as one block of group x seqQ query rows to one K and V, so the op is
 * `groups` = batch x kvHeads attentions of `shape` (K and V read once per group, not once per
 * query head). `computedFraction` is the share of the seqQ x seqKV query-key pairs computed
 * (below 1 with a causal mask); MACs are groups x group seqQ x seqKV x headDim x 2 x that share.
 */
export function attentionGroups(op: AttentionOp): { groups: number; shape: AttentionShape; computedFraction: number } {
  const kvHeads = op.kvHeads ?? op.heads;
  return {
    groups: op.batch * kvHeads,
    shape: { seqQ: op.seqQ * (op.heads / kvHeads), seqKV: op.seqKV, headDim: op.headDim },
    computedFraction: attentionPairs(op) / (op.seqQ * op.seqKV),
  };
}

export const NO_ATTENTION_RESIDENCY: AttentionResidency = Object.freeze({ q: false, k: false, v: false, o: false });

/** FlashAttention Algorithm 1's off-chip elements for self-attention, as in the paper (no residency). */
export function flashAttention1Elements(n: number, d: number, mElements: number): number {
  const bc = Math.ceil(mElements / (4 * d));
  const tc = Math.ceil(n / bc);
  return 2 * n * d + tc * (3 * n * d + 4 * n);
}

/** Standard attention's off-chip elements for self-attention: 4Nd + 4N^2. */
export function standardAttentionElements(n: number, d: number): number {
  return 4 * n * d + 4 * n * n;
}

export function attentionTraffic(s: AttentionShape, mElements: number, res: AttentionResidency = NO_ATTENTION_RESIDENCY): AttentionTraffic {
  const nq = s.seqQ;
  const nkv = s.seqKV;
  const d = s.headDim;
  const q = res.q ? 0 : nq * d;
  const k = res.k ? 0 : nkv * d;
  const v = res.v ? 0 : nkv * d;
  const o = res.o ? 0 : nq * d;
  const kv = k + v;
  // Footprints: resident tensors occupy space the scheduler reserved.
  const kvBlockPerRow = (res.k ? 0 : d) + (res.v ? 0 : d);
  const qoPerRow = (res.q ? 0 : d) + (res.o ? 0 : d);

  let best: AttentionTraffic | null = null;
  const consider = (t: AttentionTraffic): void => {
    if (best === null || t.readElements + t.writeElements < best.readElements + best.writeElements) best = t;
  };

  // kvResident
  {
    const room = mElements - nkv * kvBlockPerRow;
    const br = Math.min(nq, Math.floor(room / (qoPerRow + nkv + 2)));
    if (br >= 1) consider({ schedule: 'kvResident', readElements: q + kv, kvReadElements: kv, writeElements: o, blockRows: br, blockCols: nkv });
  }
  // flash2 (query blocks outer)
  {
    const bc = Math.min(nkv, d);
    const room = mElements - bc * kvBlockPerRow;
    const br = Math.min(nq, Math.floor(room / (qoPerRow + bc + 2)));
    if (br >= 1) {
      const passes = Math.ceil(nq / br);
      consider({ schedule: 'flash2', readElements: q + kv * passes, kvReadElements: kv * passes, writeElements: o, blockRows: br, blockCols: bc });
    }
  }
  // flash1 (FlashAttention Algorithm 1, the paper's block sizes)
  if (mElements >= 4 * d) {
    const bc = Math.ceil(mElements / (4 * d));
    const br = Math.min(bc, d);
    const tc = Math.ceil(nkv / bc);
    consider({ schedule: 'flash1', readElements: kv + tc * (q + o + 2 * nq), kvReadElements: kv, writeElements: tc * (o + 2 * nq), blockRows: br, blockCols: bc });
  }
  // standard (S and P through DRAM) once one row of S fits
  if (nkv <= mElements) {
    consider({ schedule: 'standard', readElements: q + kv + 2 * nq * nkv, kvReadElements: kv, writeElements: o + 2 * nq * nkv, blockRows: 0, blockCols: 0 });
  }
  if (best === null) {
    // Not even a row of S fits: every query re-streams K and V, and S/P go through DRAM.
    return { schedule: 'stream', readElements: q + kv * nq + 2 * nq * nkv, kvReadElements: kv * nq, writeElements: o + 2 * nq * nkv, blockRows: 1, blockCols: 1 };
  }
  return best;
}
