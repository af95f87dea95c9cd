import { z } from 'zod';
import { hardwareSchema } from '../models/hardware.ts';
import { studySchema } from './study-schema.ts';

/**
 * The study format as JSON Schema (draft 2020-12), generated from the one zod schema. `fixed`
 * holds hardware values, checked against the hardware schema when a study loads; the JSON
 * Schema says so (with each field's range) so editors flag a 1e-300 MHz clock as it is typed.
 */
export function studyJsonSchema(): Record<string, unknown> {
  const study = z.toJSONSchema(studySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { properties: Record<string, unknown> };
  const { $schema: _, ...hardware } = z.toJSONSchema(hardwareSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...study,
    properties: { ...study.properties, fixed: { $ref: '#/$defs/hardware' } },
    $defs: { ...(study.$defs as Record<string, unknown> | undefined), hardware: { ...hardware, description: 'hardware parameters and their ranges (also the parameters `space` may search)' } },
    $id: 'https://accel-dse.dev/schema/study.json',
    title: 'accel-dse study',
  };
}
