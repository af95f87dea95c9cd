import { DseError } from '../../core/errors.ts';
import { priceCompute, priceStorage } from './builtin-pricing.ts';
import { DIMS, OPERANDS, type Architecture, type ComputeLevel, type StorageLevel } from './types.ts';

/**
 * Reads a Timeloop v0.3 architecture (`architecture: {version, subtree: [{name, attributes,
 * local: [components], subtree: [...]}]}`), as in Timeloop's exercises and DOSA's Gemmini files.
 * Components are taken depth-first, `local` before `subtree`, so storage comes out outermost
 * first. A component's instances are its `instances` attribute, else the product of the `[0..n-1]`
 * ranges on the path to it (Timeloop's rule). Energies are Timeloop's built-in formulas (see
 * timeloop-formulas.ts); area is 0 until an Accelergy ART or a table prices it, as in Timeloop.
 * Timeloop files say nothing about bypass or allowed spatial dims (those live in mapspace
 * constraints), so every level may keep every operand and fan out along any dim.
 */
export function readTimeloopArchitecture(data: unknown, file?: string): Architecture {
  const root = asRecord(asRecord(data, 'architecture', file).architecture, 'architecture', file);
  const version = root.version;
  if (version !== undefined && String(version) !== '0.3') {
    throw new DseError('invalid_architecture', `Timeloop architecture version ${String(version)} is not supported (expected 0.3)`, { path: 'architecture.version', file });
  }
  const storage: StorageLevel[] = [];
  let compute: ComputeLevel | null = null;
  const walk = (node: unknown, path: string, multiplicity: number): void => {
    const n = asRecord(node, path, file);
    const mult = multiplicity * rangeCount(String(n.name ?? ''));
    const locals = n.local === undefined ? [] : asArray(n.local, `${path}.local`, file);
    locals.forEach((c, i) => {
      const cpath = `${path}.local[${i}]`;
      const comp = asRecord(c, cpath, file);
      const name = String(comp.name ?? '').trim();
      const cls = String(comp.class ?? '');
      const attrs = comp.attributes === undefined ? {} : asRecord(comp.attributes, `${cpath}.attributes`, file);
      const instances = attrs.instances !== undefined ? positiveInt(attrs.instances, `${cpath}.attributes.instances`, file) : mult * rangeCount(name);
      const baseName = name.replace(/\[.*$/, '');
      const sub = String(comp.subclass ?? '');
      if (/mac/i.test(cls) || cls === 'compute' || /mac/i.test(sub)) {
        if (compute) throw new DseError('invalid_architecture', 'more than one compute component', { path: cpath, file });
        const bits = positiveInt(attrs.datawidth ?? attrs['word-bits'] ?? attrs.word_bits ?? 8, `${cpath}.attributes.datawidth`, file);
        compute = { name: baseName, instances, macBits: bits, ...priceCompute(bits, 'timeloop') };
        return;
      }
      storage.push(storageLevel(baseName, cls === 'storage' && sub ? sub : cls, attrs, instances, cpath, file));
    });
    const subs = n.subtree === undefined ? [] : asArray(n.subtree, `${path}.subtree`, file);
    subs.forEach((s, i) => walk(s, `${path}.subtree[${i}]`, mult));
  };
  asArray(root.subtree, 'architecture.subtree', file).forEach((s, i) => walk(s, `architecture.subtree[${i}]`, 1));
  if (!compute) throw new DseError('invalid_architecture', 'no compute component (class intmac/fpmac/mac)', { path: 'architecture', file });
  if (storage.length === 0) throw new DseError('invalid_architecture', 'no storage component', { path: 'architecture', file });
  return { name: storage.map((s) => s.name).join('-'), levels: storage, compute };
}

function storageLevel(name: string, cls: string, a: Record<string, unknown>, instances: number, path: string, file?: string): StorageLevel {
  const num = (keys: string[]): number | undefined => {
    for (const k of keys) if (a[k] !== undefined) return positiveNumber(a[k], `${path}.attributes.${k}`, file);
    return undefined;
  };
  const wordBits = num(['word-bits', 'word_bits', 'datawidth']) ?? 8;
  const block = num(['block_size', 'block-size', 'n_elements_per_block']) ?? (num(['width', 'memory_width']) !== undefined ? Math.max(1, Math.floor(num(['width', 'memory_width'])! / wordBits)) : 1);
  // Without a width Timeloop takes one block per row.
  const width = num(['width', 'memory_width']) ?? wordBits * block;
  const depth = num(['depth', 'memory_depth']);
  const isDram = /dram/i.test(cls);
  let capacityWords: number | null = null;
  if (!isDram) {
    const entries = a.entries !== undefined ? a.entries : depth !== undefined ? (depth * width) / wordBits : undefined;
    if (entries === undefined) throw new DseError('invalid_architecture', `${name}: needs entries (or depth and width)`, { path: `${path}.attributes.entries`, file });
    capacityWords = Number(entries);
    if (!Number.isFinite(capacityWords) || capacityWords <= 0) {
      throw new DseError('invalid_architecture', `${name}: capacity must be > 0 words`, { path: `${path}.attributes.entries`, file });
    }
  }
  // One bandwidth for all actions: shared_bandwidth, else read + write bandwidth.
  const rw = (num(['read_bandwidth', 'read-bandwidth']) ?? 0) + (num(['write_bandwidth', 'write-bandwidth']) ?? 0);
  const bandwidth = num(['shared_bandwidth', 'shared-bandwidth']) ?? (rw > 0 ? rw : null);
  const base = {
    name,
    className: cls,
    instances,
    capacityWords,
    wordBits,
    keeps: [...OPERANDS],
    blockWords: block,
    bandwidthWordsPerCycle: bandwidth,
    spatialDims: [...DIMS],
  };
  const priced = priceStorage(base, 'timeloop');
  const override = num(['vector-access-energy', 'vector_access_energy']);
  if (override !== undefined) priced.energyPJ = { read: override, fill: override, update: override, leakPerCycle: 0 };
  return { ...base, ...priced };
}

/** `PECols[0..127]` -> 128; a name without a range -> 1. */
function rangeCount(name: string): number {
  const m = /\[(\d+)\.\.(\d+)\]\s*$/.exec(name);
  return m ? Number(m[2]) - Number(m[1]) + 1 : 1;
}

function asRecord(v: unknown, path: string, file?: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new DseError('invalid_architecture', 'expected a mapping', { path, file });
  return v as Record<string, unknown>;
}

function asArray(v: unknown, path: string, file?: string): unknown[] {
  if (!Array.isArray(v)) throw new DseError('invalid_architecture', 'expected a list', { path, file });
  return v;
}

function positiveNumber(v: unknown, path: string, file?: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new DseError('invalid_architecture', `must be a number > 0 (got ${JSON.stringify(v)})`, { path, file });
  return n;
}

function positiveInt(v: unknown, path: string, file?: string): number {
  const n = positiveNumber(v, path, file);
  if (!Number.isSafeInteger(n)) throw new DseError('invalid_architecture', `must be an integer (got ${JSON.stringify(v)})`, { path, file });
  return n;
}
