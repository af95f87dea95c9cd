import { DseError } from '../../core/errors.ts';
import type { Architecture } from './types.ts';

/**
 * Energy and area tables applied to an architecture by component name. Three sources, one
 * shape: Accelergy's ERT.yaml (energy reference table) and ART.yaml (area reference table), and a
 * plain user table. Entries name a component by its last path segment without the instance range
 * (`System.Chip.PECols[0..15].Accumulator[0..15]` -> `Accumulator`). Storage energies are pJ per
 * vector access (one block), MAC energy pJ per MAC, area um^2 per instance.
 */
export interface ComponentEntry {
  read?: number;
  fill?: number;
  update?: number;
  leakPerCycle?: number;
  mac?: number;
  areaUM2?: number;
}

export type ComponentTable = Record<string, ComponentEntry>;

/** Accelergy ERT.yaml: `ERT: {tables: [{name, actions: [{name, arguments?, energy}]}]}`. */
export function readAccelergyErt(data: unknown, file?: string): ComponentTable {
  const tables = accelergyTables(data, 'ERT', file);
  const out: ComponentTable = {};
  tables.forEach((t, i) => {
    const actions = t.actions;
    if (!Array.isArray(actions)) throw new DseError('invalid_table', 'expected a list of actions', { path: `ERT.tables[${i}].actions`, file });
    const e: ComponentEntry = {};
    // Several argument sets per action: take the largest, as Timeloop does when it reads an ERT.
    const take = (key: keyof ComponentEntry, v: number): void => {
      e[key] = Math.max(e[key] ?? 0, v);
    };
    actions.forEach((a, j) => {
      const rec = a as Record<string, unknown>;
      const name = String(rec.name ?? '');
      const energy = Number(rec.energy);
      if (!Number.isFinite(energy) || energy < 0) throw new DseError('invalid_table', 'energy must be a number >= 0', { path: `ERT.tables[${i}].actions[${j}].energy`, file });
      if (/mac|compute/.test(name)) take('mac', energy);
      else if (/read/.test(name)) take('read', energy);
      else if (/update/.test(name)) take('update', energy);
      else if (/write|fill/.test(name)) {
        take('fill', energy);
        if (!actions.some((x) => /update/.test(String((x as Record<string, unknown>).name ?? '')))) take('update', energy);
      } else if (/leak/.test(name)) take('leakPerCycle', energy);
    });
    merge(out, componentName(String(t.name ?? '')), e);
  });
  return out;
}

/** Accelergy ART.yaml: `ART: {tables: [{name, area}]}` (um^2 per instance). */
export function readAccelergyArt(data: unknown, file?: string): ComponentTable {
  const out: ComponentTable = {};
  accelergyTables(data, 'ART', file).forEach((t, i) => {
    const area = Number(t.area);
    if (!Number.isFinite(area) || area < 0) throw new DseError('invalid_table', 'area must be a number >= 0', { path: `ART.tables[${i}].area`, file });
    merge(out, componentName(String(t.name ?? '')), { areaUM2: area });
  });
  return out;
}

/** A plain table: `{components: {<name>: {read, fill, update, leakPerCycle, mac, areaUM2}}}`. */
export function readUserTable(data: unknown, file?: string): ComponentTable {
  const comps = (data as { components?: unknown } | null)?.components;
  if (comps === null || typeof comps !== 'object' || Array.isArray(comps)) {
    throw new DseError('invalid_table', 'expected `components: {<name>: {read, fill, update, leakPerCycle, mac, areaUM2}}`', { path: 'components', file });
  }
  const out: ComponentTable = {};
  for (const [name, v] of Object.entries(comps as Record<string, unknown>)) {
    const e: ComponentEntry = {};
    for (const [k, x] of Object.entries((v ?? {}) as Record<string, unknown>)) {
      if (!['read', 'fill', 'update', 'leakPerCycle', 'mac', 'areaUM2'].includes(k)) {
        throw new DseError('invalid_table', `unknown field (expected read, fill, update, leakPerCycle, mac, areaUM2)`, { path: `components.${name}.${k}`, file });
      }
      const n = Number(x);
      if (!Number.isFinite(n) || n < 0) throw new DseError('invalid_table', 'must be a number >= 0', { path: `components.${name}.${k}`, file });
      e[k as keyof ComponentEntry] = n;
    }
    out[name] = e;
  }
  return out;
}

/** Reads any of the three table kinds from parsed YAML. */
export function readComponentTable(data: unknown, file?: string): ComponentTable {
  const rec = (data ?? {}) as Record<string, unknown>;
  if ('ERT' in rec) return readAccelergyErt(data, file);
  if ('ART' in rec) return readAccelergyArt(data, file);
  return readUserTable(data, file);
}

/** A copy of the architecture with the table's entries replacing the matching components' values. */
export function applyComponentTable(arch: Architecture, table: ComponentTable): Architecture {
  const levels = arch.levels.map((lv) => {
    const e = table[lv.name];
    if (!e) return lv;
    return {
      ...lv,
      energyPJ: {
        read: e.read ?? lv.energyPJ.read,
        fill: e.fill ?? lv.energyPJ.fill,
        update: e.update ?? lv.energyPJ.update,
        leakPerCycle: e.leakPerCycle ?? lv.energyPJ.leakPerCycle,
      },
      areaUM2: e.areaUM2 ?? lv.areaUM2,
    };
  });
  const c = table[arch.compute.name];
  const compute = c ? { ...arch.compute, macEnergyPJ: c.mac ?? arch.compute.macEnergyPJ, areaUM2: c.areaUM2 ?? arch.compute.areaUM2 } : arch.compute;
  return { ...arch, levels, compute };
}

function accelergyTables(data: unknown, key: 'ERT' | 'ART', file?: string): Record<string, unknown>[] {
  const root = (data as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  const tables = root?.tables;
  if (!Array.isArray(tables)) throw new DseError('invalid_table', `expected ${key}.tables to be a list`, { path: `${key}.tables`, file });
  return tables as Record<string, unknown>[];
}

function componentName(path: string): string {
  // Drop the instance ranges first: `[0..15]` holds dots of its own.
  return (path.replace(/\[[^\]]*\]/g, '').split('.').pop() ?? path).trim();
}

function merge(out: ComponentTable, name: string, e: ComponentEntry): void {
  out[name] = { ...(out[name] ?? {}), ...e };
}
