import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studyFromObject } from '../../dse/load-study.ts';
import { studyJsonSchema } from '../../dse/study-json-schema.ts';
import { normalizeHardware } from '../../models/hardware.ts';
import { parseDataText } from '../../core/data-file.ts';
import { isDseError } from '../../core/errors.ts';
import { smallestReachableRatio } from '../../dse/mixed-precision.ts';
import { noisePower } from '../../models/cost/quant-error.ts';

/*
 * Values that no hardware has (a 5e-324 GB/s link, a 1e-300 MHz clock) or no choice can meet
 * are errors naming the field, found before any trial runs.
 */
const base = {
  name: 't',
  workloads: ['resnet18'],
  space: { peRows: [8, 16] },
  objectives: ['latencyS', 'energyPJ'],
};

function rejected(fn: () => unknown, path: RegExp, message: RegExp): void {
  assert.throws(fn, (e: unknown) => isDseError(e) && path.test(e.path) && message.test(e.message), `${path} ${message}`);
}

test('hardware numbers have physical ranges', () => {
  rejected(() => normalizeHardware({ dramGBps: 5e-324 }), /dramGBps/, /at least 0\.001 GB\/s/);
  rejected(() => normalizeHardware({ dramGBps: 1e12 }), /dramGBps/, /at most/);
  rejected(() => normalizeHardware({ clockMHz: 1e-300 }), /clockMHz/, /at least 1 MHz/);
  rejected(() => normalizeHardware({ glbKiB: 1e-300 }), /glbKiB/, /at least 1 byte/);
  rejected(() => studyFromObject({ ...base, fixed: { clockMHz: 1e-300 } }), /fixed\.clockMHz/, /at least 1 MHz/);
  rejected(() => studyFromObject({ ...base, space: { dramGBps: [8, 5e-324] } }), /space\.dramGBps/, /at least 0\.001/);
  assert.equal(normalizeHardware({ dramGBps: 0.001, clockMHz: 1 }).dramGBps, 0.001);
});

test('study numbers have ranges too', () => {
  rejected(() => studyFromObject({ ...base, workloads: [{ name: 'resnet18', weight: 1e300 }] }), /workloads\.0\.weight/, /at most/);
  rejected(() => studyFromObject({ ...base, schedule: { timeLimitS: 1e300 } }), /schedule\.timeLimitS/, /at most/);
  rejected(() => studyFromObject({ ...base, space: { peRows: { pow2: { min: 8, max: 1e300 } } } }), /space\.peRows/, /at most 2\^40/);
});

test('a maxQuantErrorRatio no bitwidth choice can reach is an error, not a study whose trials all fail', () => {
  const choices = [{ weightBits: 8, activationBits: 8 }, { weightBits: 16, activationBits: 16 }];
  rejected(() => studyFromObject({ ...base, mixedPrecision: { choices, maxQuantErrorRatio: 1e-300 } }), /mixedPrecision\.maxQuantErrorRatio/, /at least 1e-18/);
  // 16-bit against the default 8-bit design: noise falls by 2^16 at best, so 1e-6 is out of reach...
  rejected(() => studyFromObject({ ...base, mixedPrecision: { choices, maxQuantErrorRatio: 1e-6 } }), /mixedPrecision\.maxQuantErrorRatio/, /every trial would fail/);
  // ...but 1e-4 (above 2^-16 = 1.5e-5) is not.
  assert.ok(studyFromObject({ ...base, mixedPrecision: { choices, maxQuantErrorRatio: 1e-4 } }));
  // The bound by hand: (noise(16) + noise(16)) / (noise(8) + noise(8)) = 2^-16.
  assert.equal(smallestReachableRatio(choices, 8, 8), 2 ** -16);
  assert.equal(noisePower(8) / noisePower(16), 2 ** 16);
});

test('space: {__proto__: [1]} is an unknown key, not silently dropped', () => {
  rejected(() => parseDataText('name: t\nspace: {__proto__: [1], peRows: [8]}\n', 's.yaml'), /^space$/, /unknown key '__proto__'/);
  rejected(() => parseDataText('{"space": {"__proto__": [1]}}', 's.json'), /^space$/, /unknown key '__proto__'/);
});

test('the JSON Schema states the hardware ranges for fixed values', () => {
  const schema = studyJsonSchema() as { properties: { fixed: { properties: Record<string, Record<string, unknown>> } } };
  const fixed = schema.properties.fixed.properties;
  assert.equal(fixed.dramGBps!.minimum, 0.001);
  assert.equal(fixed.dramGBps!.maximum, 100000);
  assert.equal(fixed.clockMHz!.minimum, 1);
  assert.equal(fixed.clockMHz!.maximum, 100000);
  assert.match(String(fixed.clockMHz!.description), /clock, MHz/);
});

test('a non-finite metric that is not an objective still fails the trial (never an ok trial with edp null)', async () => {
  const { createEvalContext, evaluateDesign } = await import('../../dse/evaluate-design.ts');
  const study = studyFromObject({ ...base, objectives: ['latencyS'] });
  const ctx = createEvalContext(study.spec);
  // A weight of 1e200 keeps latency and energy finite but their product, edp, overflows.
  const heavy = { ...ctx, workloads: ctx.workloads.map((w) => ({ ...w, weight: 1e200 })) };
  const o = await evaluateDesign(heavy, { peRows: 8 });
  assert.equal(o.status, 'failed');
  assert.match(o.error ?? '', /metric not finite: edp=Infinity/);
  assert.equal((await evaluateDesign(ctx, { peRows: 8 })).status, 'ok');
});
