import { DseError } from '../core/errors.ts';
import { DEFAULT_HARDWARE } from './hardware.ts';
import type { Dataflow } from './types.ts';

/**
 * SCALE-Sim (v2) architecture .cfg files, INI style:
 *
 *   [general]
 *   run_name = example
 *   [architecture_presets]
 *   ArrayHeight: 32
 *   ArrayWidth: 32
 *   IfmapSramSzkB: 64
 *   FilterSramSzkB: 64
 *   OfmapSramSzkB: 64
 *   Dataflow: os
 *   Bandwidth: 10
 *   [run_presets]
 *   InterfaceBandwidth: CALC
 *
 * We read ArrayHeight/ArrayWidth (PE rows/columns), the three SRAM sizes (KiB), Dataflow
 * (os/ws/is) and Bandwidth. Bandwidth is in words per cycle; we turn it into dramGBps with the
 * clock and word size the cfg does not carry: dramGBps = Bandwidth * (activationBits / 8) *
 * clockMHz / 1000, with accel-dse's defaults (1000 MHz, 8-bit words: 1 word/cycle = 1 GB/s).
 * Other keys (offsets, banks, run presets...) are ignored; keys match case-insensitively, as in
 * Python's configparser, and both `key: value` and `key = value` are accepted.
 */
export interface ScaleSimArch {
  peRows: number;
  peCols: number;
  ifmapSramKiB: number;
  filterSramKiB: number;
  ofmapSramKiB: number;
  dataflow: Dataflow;
  dramGBps?: number;
}

const NUMERIC_KEYS: Record<string, { field: keyof ScaleSimArch; integer: boolean; name: string }> = {
  arrayheight: { field: 'peRows', integer: true, name: 'ArrayHeight' },
  arraywidth: { field: 'peCols', integer: true, name: 'ArrayWidth' },
  ifmapsramszkb: { field: 'ifmapSramKiB', integer: false, name: 'IfmapSramSzkB' },
  filtersramszkb: { field: 'filterSramKiB', integer: false, name: 'FilterSramSzkB' },
  ofmapsramszkb: { field: 'ofmapSramKiB', integer: false, name: 'OfmapSramSzkB' },
};

export function parseScaleSimCfg(text: string, file: string): ScaleSimArch {
  let section = '';
  const values = new Map<string, { value: string; section: string; line: number }>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      section = sec[1]!.trim();
      continue;
    }
    const m = /^([^:=]+?)\s*[:=]\s*(.*)$/.exec(line);
    if (!m) throw new DseError('malformed_cfg', `malformed line ${i + 1}: expected 'key: value' or '[section]', got '${line.slice(0, 60)}'`, { file });
    values.set(m[1]!.trim().toLowerCase(), { value: m[2]!.trim(), section, line: i + 1 });
  }

  const where = (key: string, name: string): string => {
    const v = values.get(key);
    return v && v.section ? `${v.section}.${name}` : name;
  };
  const out: Partial<ScaleSimArch> = {};
  for (const [key, spec] of Object.entries(NUMERIC_KEYS)) {
    const v = values.get(key);
    if (!v) throw new DseError('missing_field', `missing (a SCALE-Sim architecture needs ${spec.name})`, { file, path: `architecture_presets.${spec.name}` });
    const x = Number(v.value);
    if (v.value === '' || !Number.isFinite(x)) throw new DseError('invalid_field', `expected a number, got '${v.value}'`, { file, path: where(key, spec.name) });
    if (x <= 0) throw new DseError('invalid_field', `must be positive, got ${x}`, { file, path: where(key, spec.name) });
    if (spec.integer && !Number.isInteger(x)) throw new DseError('invalid_field', `must be an integer, got ${x}`, { file, path: where(key, spec.name) });
    (out as Record<string, number>)[spec.field] = x;
  }
  const df = values.get('dataflow');
  if (!df) throw new DseError('missing_field', 'missing (os, ws or is)', { file, path: 'architecture_presets.Dataflow' });
  const dataflow = df.value.toLowerCase();
  if (dataflow !== 'os' && dataflow !== 'ws' && dataflow !== 'is') {
    throw new DseError('invalid_field', `unknown dataflow '${df.value}' (expected os, ws or is)`, { file, path: where('dataflow', 'Dataflow') });
  }
  out.dataflow = dataflow;
  const bw = values.get('bandwidth');
  if (bw) {
    const x = Number(bw.value);
    if (bw.value === '' || !Number.isFinite(x) || x <= 0) {
      throw new DseError('invalid_field', `expected a positive number of words per cycle, got '${bw.value}'`, { file, path: where('bandwidth', 'Bandwidth') });
    }
    out.dramGBps = (x * (DEFAULT_HARDWARE.activationBits / 8) * DEFAULT_HARDWARE.clockMHz) / 1000;
  }
  return out as ScaleSimArch;
}
