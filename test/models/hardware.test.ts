import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DseError } from '../../core/errors.ts';
import { DEFAULT_HARDWARE, normalizeHardware, onChipCapacityBytes } from '../../models/hardware.ts';
import { loadHardwareFile } from '../../models/hardware-file.ts';
import { parseScaleSimCfg } from '../../models/scalesim-cfg.ts';

function dseError(fn: () => unknown): DseError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DseError, `expected DseError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('defaults fill missing fields; given fields win', () => {
  const hw = normalizeHardware({ peRows: 16, dataflow: 'os', glbKiB: 256 });
  assert.equal(hw.peRows, 16);
  assert.equal(hw.peCols, DEFAULT_HARDWARE.peCols);
  assert.equal(hw.dataflow, 'os');
  assert.equal(hw.glbKiB, 256);
  assert.deepEqual(normalizeHardware(undefined), { ...DEFAULT_HARDWARE });
});

test('on-chip capacity: shared buffer when set, else the three SRAMs', () => {
  assert.equal(onChipCapacityBytes(normalizeHardware({ glbKiB: 100, ifmapSramKiB: 1 })), 100 * 1024);
  assert.equal(onChipCapacityBytes(normalizeHardware({ ifmapSramKiB: 1, filterSramKiB: 2, ofmapSramKiB: 3 })), 6 * 1024);
});

test('bad fields are DseErrors naming the field and file', () => {
  const cases: Array<[unknown, string]> = [
    [{ peRows: 0 }, 'peRows'],
    [{ peCols: -4 }, 'peCols'],
    [{ peRows: 2.5 }, 'peRows'],
    [{ ifmapSramKiB: 0 }, 'ifmapSramKiB'],
    [{ glbKiB: -1 }, 'glbKiB'],
    [{ dataflow: 'rs' }, 'dataflow'],
    [{ weightBits: 1 }, 'weightBits'],
    [{ activationBits: 33 }, 'activationBits'],
    [{ techNode: '3nm' }, 'techNode'],
    [{ peRow: 4 }, ''],
  ];
  for (const [raw, field] of cases) {
    const e = dseError(() => normalizeHardware(raw, { file: 'hw.yaml', pathPrefix: 'hardware' }));
    assert.equal(e.file, 'hw.yaml');
    assert.equal(e.path, field ? `hardware.${field}` : 'hardware');
    if (!field) assert.match(e.message, /peRow/);
  }
});

const CFG = `[general]
run_name = test

[architecture_presets]
ArrayHeight:    16
ArrayWidth:     8
IfmapSramSzkB:    32
FilterSramSzkB:   64
OfmapSramSzkB:    16
IfmapOffset:    0
Bandwidth : 10
Dataflow : is
MemoryBanks:   1

[run_presets]
InterfaceBandwidth: CALC
`;

test('SCALE-Sim cfg: array, SRAMs, dataflow and bandwidth (words/cycle at 8 bits and 1000 MHz)', () => {
  const a = parseScaleSimCfg(CFG, 'x.cfg');
  assert.deepEqual(a, { peRows: 16, peCols: 8, ifmapSramKiB: 32, filterSramKiB: 64, ofmapSramKiB: 16, dataflow: 'is', dramGBps: 10 });
});

test('SCALE-Sim cfg errors name the key', () => {
  let e = dseError(() => parseScaleSimCfg(CFG.replace('Dataflow : is', 'Dataflow : rs'), 'x.cfg'));
  assert.equal(e.path, 'architecture_presets.Dataflow');
  e = dseError(() => parseScaleSimCfg(CFG.replace('ArrayWidth:     8', 'ArrayWidth: 0'), 'x.cfg'));
  assert.equal(e.path, 'architecture_presets.ArrayWidth');
  e = dseError(() => parseScaleSimCfg(CFG.replace('OfmapSramSzkB:    16', 'OfmapSramSzkB: lots'), 'x.cfg'));
  assert.equal(e.path, 'architecture_presets.OfmapSramSzkB');
  e = dseError(() => parseScaleSimCfg(CFG.replace('ArrayHeight:    16\n', ''), 'x.cfg'));
  assert.equal(e.code, 'missing_field');
  e = dseError(() => parseScaleSimCfg(CFG + 'this line is not ini\n', 'x.cfg'));
  assert.equal(e.code, 'malformed_cfg');
  assert.equal(e.file, 'x.cfg');
});

test('loadHardwareFile reads YAML, JSON, a hardware: wrapper and .cfg; errors name the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-'));
  const y = join(dir, 'a.yaml');
  writeFileSync(y, 'peRows: 8\npeCols: 4\nglbKiB: 64\n');
  assert.equal(loadHardwareFile(y).peCols, 4);
  const j = join(dir, 'a.json');
  writeFileSync(j, JSON.stringify({ hardware: { dataflow: 'is' } }));
  assert.equal(loadHardwareFile(j).dataflow, 'is');
  const c = join(dir, 'a.cfg');
  writeFileSync(c, CFG);
  const hw = loadHardwareFile(c);
  assert.equal(hw.peRows, 16);
  assert.equal(hw.dramGBps, 10);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'peRows: [1, 2\n');
  assert.equal(dseError(() => loadHardwareFile(bad)).file, bad);
  const neg = join(dir, 'neg.json');
  writeFileSync(neg, JSON.stringify({ hardware: { peRows: -1 } }));
  const e = dseError(() => loadHardwareFile(neg));
  assert.equal(e.path, 'hardware.peRows');
  assert.equal(dseError(() => loadHardwareFile(join(dir, 'missing.yaml'))).code, 'file_not_found');
});

test('every configs/hardware file loads', () => {
  for (const f of ['eyeriss-like.yaml', 'tpu-like-128x128.yaml', 'edge-32x32.yaml', 'scalesim-32x32.cfg']) {
    const hw = loadHardwareFile(join(import.meta.dirname, '../../configs/hardware', f));
    assert.ok(hw.peRows > 0 && hw.peCols > 0);
  }
});
