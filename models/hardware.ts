import { z } from 'zod';
import { validate } from '../core/validate.ts';
import { TECH_NODES, isKnownTechNode } from './tech/nodes.ts';
import type { Hardware } from './types.ts';

/**
 * The flat hardware description: what a study's design or a hardware file may set. Every field
 * is optional; `normalizeHardware` fills the rest from DEFAULT_HARDWARE. Unknown keys are errors
 * (a typo such as `peRow` must not silently fall back to a default).
 */
export const DEFAULT_HARDWARE: Readonly<Hardware> = Object.freeze({
  peRows: 32,
  peCols: 32,
  dataflow: 'ws',
  ifmapSramKiB: 64,
  filterSramKiB: 64,
  ofmapSramKiB: 64,
  glbKiB: null,
  rfBytes: 64,
  dramGBps: 25.6,
  clockMHz: 1000,
  weightBits: 8,
  activationBits: 8,
  accumBits: 32,
  kvBits: null,
  techNode: '45nm',
  fusion: 'none',
});

/*
 * Every number has a physical range: a value outside it is a typo or a unit mix-up (MHz given
 * in Hz, 5e-324 GB/s), and would only give infinite or meaningless metrics.
 */
const MAX_PES_PER_SIDE = 4096;
const positiveKiB = z.number().finite().min(1 / 1024, 'at least 1 byte (1/1024 KiB)').max(1024 * 1024, 'at most 1 GiB');
const bits = z.number().int().min(2, 'at least 2 bits').max(32, 'at most 32 bits');

export const hardwareSchema = z.strictObject({
  peRows: z.number().int().positive().max(MAX_PES_PER_SIDE).optional(),
  peCols: z.number().int().positive().max(MAX_PES_PER_SIDE).optional(),
  dataflow: z.enum(['os', 'ws', 'is']).optional(),
  ifmapSramKiB: positiveKiB.optional(),
  filterSramKiB: positiveKiB.optional(),
  ofmapSramKiB: positiveKiB.optional(),
  glbKiB: positiveKiB.nullable().optional(),
  rfBytes: z.number().int().positive().max(1024 * 1024).optional(),
  dramGBps: z.number().finite().min(0.001, 'at least 0.001 GB/s (1 MB/s)').max(100_000, 'at most 100000 GB/s').optional(),
  clockMHz: z.number().finite().min(1, 'at least 1 MHz').max(100_000, 'at most 100000 MHz').optional(),
  weightBits: bits.optional(),
  activationBits: bits.optional(),
  accumBits: z.number().int().min(8, 'at least 8 bits').max(64, 'at most 64 bits').optional(),
  kvBits: bits.nullable().optional(),
  techNode: z
    .string()
    .refine(isKnownTechNode, { message: `unknown technology node (known: ${TECH_NODES.join(', ')})` })
    .optional(),
  fusion: z.enum(['none', 'greedy', 'ilp']).optional(),
});

export type HardwareInput = z.infer<typeof hardwareSchema>;

/** Validates raw hardware fields (from a file or a design) and fills defaults. */
export function normalizeHardware(raw: unknown, opts: { file?: string; pathPrefix?: string } = {}): Hardware {
  const given = validate(hardwareSchema, raw ?? {}, opts);
  const hw: Hardware = { ...DEFAULT_HARDWARE };
  for (const [k, v] of Object.entries(given)) if (v !== undefined) (hw as unknown as Record<string, unknown>)[k] = v;
  return hw;
}

/** Total on-chip buffer in bytes: the shared global buffer when there is one, else the three SRAMs. */
export function onChipCapacityBytes(hw: Hardware): number {
  if (hw.glbKiB !== null) return hw.glbKiB * 1024;
  return (hw.ifmapSramKiB + hw.filterSramKiB + hw.ofmapSramKiB) * 1024;
}
