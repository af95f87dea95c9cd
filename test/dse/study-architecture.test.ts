import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildArchitecture, readStudyArchitecture, unknownArchitectureParameter } from '../../dse/study-architecture.ts';
import { vectorLanes } from '../../models/arch/vector-op-cost.ts';

const EYERISS = fileURLToPath(new URL('../../configs/hardware/eyeriss-like.arch.yaml', import.meta.url));

test('vector.lanes is a parameter of a levels-form architecture and sets the lanes of ops without MACs', () => {
  const sa = readStudyArchitecture(EYERISS);
  assert.equal(unknownArchitectureParameter(sa, 'vector.lanes'), null);
  assert.equal(vectorLanes(buildArchitecture(sa, {})), 13); // 168 MACs: round(sqrt(168))
  assert.equal(vectorLanes(buildArchitecture(sa, { 'vector.lanes': 32 })), 32);
  assert.throws(() => buildArchitecture(sa, { 'vector.lanes': 0 }), (e: { path?: string }) => e.path === 'architecture.vector.lanes');
});
