import { DseError } from '../../core/errors.ts';
import { evaluateMapping, type MappingCost } from './mapping-model.ts';
import { DIMS, OPERANDS, type Architecture, type LayerShape, type Mapping } from './types.ts';

/** Spatial fan-out of level i: instances of the next inner level (or MACs) per instance of i. */
export function fanout(arch: Architecture, i: number): number {
  const inner = i + 1 < arch.levels.length ? arch.levels[i + 1]!.instances : arch.compute.instances;
  return Math.max(1, Math.floor(inner / arch.levels[i]!.instances));
}

/**
 * Checks a mapping against its architecture and layer: factors multiply to the layer's dims,
 * spatial loops fit the fan-out and use allowed dims, kept operands are ones the level may keep,
 * every operand lives at the outermost level, and the tiles fit each level's capacity.
 * Returns the mapping's cost (computed once for the capacity check).
 */
export function checkMapping(arch: Architecture, layer: LayerShape, mapping: Mapping, path = 'mapping'): MappingCost {
  if (mapping.levels.length !== arch.levels.length) {
    throw new DseError('invalid_mapping', `has ${mapping.levels.length} levels, the architecture has ${arch.levels.length}`, { path });
  }
  const product = new Array<number>(DIMS.length).fill(1);
  mapping.levels.forEach((lv, i) => {
    const name = arch.levels[i]!.name;
    const lpath = `${path}.L${arch.levels.length - 1 - i}`;
    const allowedT = arch.levels[i]!.temporalDims;
    for (const l of lv.temporal) {
      product[l.dim]! *= l.factor;
      if (allowedT && !allowedT.includes(DIMS[l.dim]!)) {
        throw new DseError('invalid_mapping', `${name}: temporal loop over ${DIMS[l.dim]} is not allowed (allowed: ${allowedT.join(' ') || 'none'})`, { path: lpath });
      }
    }
    let spatial = 1;
    for (const l of lv.spatial) {
      product[l.dim]! *= l.factor;
      spatial *= l.factor;
      if (!arch.levels[i]!.spatialDims.includes(DIMS[l.dim]!)) {
        throw new DseError('invalid_mapping', `${name}: spatial loop over ${DIMS[l.dim]} is not allowed (allowed: ${arch.levels[i]!.spatialDims.join(' ') || 'none'})`, { path: lpath });
      }
    }
    const f = fanout(arch, i);
    if (spatial > f) throw new DseError('invalid_mapping', `${name}: spatial factors multiply to ${spatial}, above the fan-out of ${f}`, { path: lpath });
    for (const op of lv.keeps) {
      if (!arch.levels[i]!.keeps.includes(op)) throw new DseError('invalid_mapping', `${name} keeps ${op} but the architecture bypasses it there`, { path: lpath });
    }
  });
  DIMS.forEach((d, k) => {
    const want = k === 0 ? layer.N : layer[d];
    if (product[k] !== want) throw new DseError('invalid_mapping', `factors of ${d} multiply to ${product[k]}, the layer has ${d}=${want}`, { path });
  });
  for (const op of OPERANDS) {
    if (!mapping.levels[0]!.keeps.includes(op)) {
      throw new DseError('invalid_mapping', `the outermost level (${arch.levels[0]!.name}) must keep ${op}`, { path: `${path}.L${arch.levels.length - 1}` });
    }
  }
  const cost = evaluateMapping(arch, layer, mapping);
  cost.levels.forEach((lc, i) => {
    const cap = arch.levels[i]!.capacityWords;
    if (cap !== null && lc.usedWords > cap) {
      throw new DseError('mapping_exceeds_capacity', `${lc.name}: tiles need ${lc.usedWords} words, capacity is ${cap}`, { path: `${path}.L${arch.levels.length - 1 - i}` });
    }
  });
  return cost;
}
