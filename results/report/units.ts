/**
 * How metrics are shown: a label and a unit picked once per column from the magnitude of
 * its values (latency in ms rather than 0.00123 s), and one number format used by every
 * report format, so HTML, Markdown and the notebook print the same digits.
 */
import type { ObjectiveInfo } from './model.ts';

interface UnitStep {
  unit: string;
  /** Multiply a stored value by this to get the displayed one. */
  scale: number;
}

interface MetricDisplay {
  label: string;
  /** Candidate units, smallest first; the largest one under which the typical value is >= 1 is used. */
  steps: UnitStep[];
  /** True when the stored objective is the negated metric (shown the natural way). */
  maximised?: boolean;
}

const SECONDS: UnitStep[] = [
  { unit: 'ns', scale: 1e9 },
  { unit: 'µs', scale: 1e6 },
  { unit: 'ms', scale: 1e3 },
  { unit: 's', scale: 1 },
];
const PICOJOULES: UnitStep[] = [
  { unit: 'pJ', scale: 1 },
  { unit: 'nJ', scale: 1e-3 },
  { unit: 'µJ', scale: 1e-6 },
  { unit: 'mJ', scale: 1e-9 },
  { unit: 'J', scale: 1e-12 },
];
const BYTES: UnitStep[] = [
  { unit: 'B', scale: 1 },
  { unit: 'KiB', scale: 1 / 1024 },
  { unit: 'MiB', scale: 1 / 1024 ** 2 },
  { unit: 'GiB', scale: 1 / 1024 ** 3 },
];
const PJ_SECONDS: UnitStep[] = [
  { unit: 'pJ·s', scale: 1 },
  { unit: 'nJ·s', scale: 1e-3 },
  { unit: 'µJ·s', scale: 1e-6 },
  { unit: 'mJ·s', scale: 1e-9 },
  { unit: 'J·s', scale: 1e-12 },
];
const COUNT: UnitStep[] = [
  { unit: '', scale: 1 },
  { unit: 'k', scale: 1e-3 },
  { unit: 'M', scale: 1e-6 },
  { unit: 'G', scale: 1e-9 },
];

const KNOWN: Record<string, MetricDisplay> = {
  latencyS: { label: 'latency', steps: SECONDS },
  energyPJ: { label: 'energy', steps: PICOJOULES },
  areaMM2: { label: 'area', steps: [{ unit: 'mm²', scale: 1 }] },
  dramBytes: { label: 'DRAM traffic', steps: BYTES },
  edp: { label: 'energy-delay product', steps: PJ_SECONDS },
  quantError: { label: 'quantization error', steps: [{ unit: '', scale: 1 }] },
  utilization: { label: 'utilization', steps: [{ unit: '%', scale: 100 }] },
  latencyCycles: { label: 'latency', steps: [{ unit: 'cycles', scale: 1 }, { unit: 'k cycles', scale: 1e-3 }, { unit: 'M cycles', scale: 1e-6 }] },
  macs: { label: 'MACs', steps: COUNT },
};

/**
 * Display info for a metric or objective. `typical` is a representative stored value (the
 * median of the front) used to pick the unit; `negated` says the stored value is minus the
 * metric (a maximised objective).
 */
export function displayOf(name: string, typical: number, negated = false): ObjectiveInfo {
  // A per-workload metric (`latencyS@bert`) shows as its metric, on that workload.
  const at = name.indexOf('@');
  const known = KNOWN[at < 0 ? name : name.slice(0, at)];
  if (!known) return { name, label: name, unit: '', scale: negated ? -1 : 1 };
  const magnitude = Math.abs(typical);
  let step = known.steps[0]!;
  for (const s of known.steps) if (magnitude * s.scale >= 1) step = s;
  const label = at < 0 ? known.label : `${known.label} @${name.slice(at + 1)}`;
  return { name, label, unit: step.unit, scale: negated ? -step.scale : step.scale };
}

/** Column heading: `latency (ms)`. */
export function headingOf(info: ObjectiveInfo): string {
  return info.unit ? `${info.label} (${info.unit})` : info.label;
}

/** Stored value -> displayed value. */
export function shown(info: ObjectiveInfo, stored: number): number {
  return stored * info.scale;
}

/**
 * The one number format of every report: 4 significant digits, plain notation between
 * 1e-3 and 1e6, exponent notation outside; integers up to 1e6 printed whole.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e6) return String(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(3).replace(/\.?0+e/, 'e');
  const s = x.toPrecision(4);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Seconds as a short duration: `42 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - 60 * m)} s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours} h ${m % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
