import { stringify } from 'yaml';
import type { Architecture } from './types.ts';

/**
 * An architecture as accel-dse's levels file (docs/COST_MODEL.md "Architecture files"), which
 * `loadArchitectureFile` reads back to the same architecture: every price is written out as an
 * inline `components:` entry, so the file does not depend on how the built-in table would
 * re-derive it (the flat expansion prices its MACs and registers as the flat model does).
 */
export function architectureYaml(arch: Architecture, header = ''): string {
  const levels = arch.levels.map((l) => ({
    name: l.name,
    class: l.className,
    instances: l.instances,
    ...(l.capacityWords === null ? {} : { capacityWords: l.capacityWords }),
    wordBits: l.wordBits,
    keeps: l.keeps,
    blockWords: l.blockWords,
    ...(l.bandwidthWordsPerCycle === null ? {} : { bandwidthWordsPerCycle: l.bandwidthWordsPerCycle }),
    ...(l.spatialDims.length > 0 ? { spatialDims: l.spatialDims } : {}),
    ...(l.temporalDims ? { temporalDims: l.temporalDims } : {}),
    ...(l.loopOrder ? { loopOrder: l.loopOrder } : {}),
  }));
  const c = arch.compute;
  const components: Record<string, Record<string, number>> = {};
  for (const l of arch.levels) components[l.name] = { read: l.energyPJ.read, fill: l.energyPJ.fill, update: l.energyPJ.update, leakPerCycle: l.energyPJ.leakPerCycle, areaUM2: l.areaUM2 };
  components[c.name] = { mac: c.macEnergyPJ, areaUM2: c.areaUM2 };
  const doc = {
    architecture: {
      name: arch.name,
      ...(arch.clockMHz === undefined ? {} : { clockMHz: arch.clockMHz }),
      levels,
      compute: { name: c.name, instances: c.instances, macBits: c.macBits, ...(c.systolic ? { systolic: c.systolic } : {}) },
      ...(arch.vectorLanes === undefined ? {} : { vector: { lanes: arch.vectorLanes } }),
      components,
    },
  };
  const body = stringify(doc, { flowCollectionPadding: false, lineWidth: 0 });
  return header + body;
}
