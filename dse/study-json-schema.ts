import { z } from 'zod';
import { studySchema } from './study-schema.ts';

/** The study format as JSON Schema (draft 2020-12), generated from the one zod schema. */
export function studyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(studySchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://accel-dse.dev/schema/study.json',
    title: 'accel-dse study',
  };
}
