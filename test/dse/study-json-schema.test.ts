import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HARDWARE } from '../../models/hardware.ts';
import { studyJsonSchema } from '../../dse/study-json-schema.ts';

type Json = Record<string, unknown>;

/** Every named field (a key under `properties`), anywhere in the schema, with its path. */
function fields(node: unknown, path: string, out: [string, Json][] = []): [string, Json][] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Json;
  for (const [k, v] of Object.entries((n.properties as Record<string, Json> | undefined) ?? {})) {
    out.push([`${path}.${k}`, v]);
    fields(v, `${path}.${k}`, out);
  }
  if (n.additionalProperties) fields(n.additionalProperties, `${path}.*`, out);
  if (n.items) fields(n.items, `${path}[]`, out);
  for (const alt of (n.anyOf as unknown[] | undefined) ?? []) fields(alt, path, out);
  return out;
}

test('the study JSON Schema describes every field', () => {
  const all = fields(studyJsonSchema(), '');
  assert.ok(all.length > 40);
  const bare = all.filter(([, v]) => typeof v.description !== 'string' || v.description.length < 8).map(([p]) => p);
  assert.deepEqual(bare, []);
});

test('space and fixed list every hardware parameter by name, for completion', () => {
  const props = studyJsonSchema().properties as Record<string, Json>;
  const names = Object.keys(DEFAULT_HARDWARE).sort();
  for (const key of ['space', 'fixed']) {
    assert.deepEqual(Object.keys(props[key]!.properties as Json).sort(), names, key);
    assert.deepEqual([...((props[key]!.propertyNames as { enum: string[] }).enum)].sort(), names, key);
  }
  const fixedFusion = (props.fixed!.properties as Record<string, Json>).fusion!;
  assert.deepEqual(fixedFusion.enum, ['none', 'greedy', 'ilp']);
});
