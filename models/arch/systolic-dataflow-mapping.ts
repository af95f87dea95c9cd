import { divisors } from './mapper-spatial.ts';
import { SYSTOLIC_AXES } from './systolic-folds.ts';
import { DIMS, type Architecture, type Dim, type LayerShape, type Loop, type Mapping } from './types.ts';

/**
 * The mapping SCALE-Sim's dataflow implies on a systolic architecture (from-flat-hardware.ts):
 * the array's row dims and column dims as spatial loops at the level that fans out to the PEs,
 * and at the outermost level the folds (row folds, then column folds: the stationary operand's
 * settings) outside the streaming dims, one step per cycle. SCALE-Sim cuts the row operand into
 * ceil(rows of it / array rows) folds, the last one partial; a mapping has perfect factors, so it
 * matches only where the row dims (and the column dims) factor into spatial factors per dim whose
 * product is (their size) / ceil(size / array side). Null where no such factors exist: such layers
 * keep the flat model (models/cost/systolic.ts), which folds with ceil.
 */
export function scaleSimMapping(arch: Architecture, layer: LayerShape): Mapping | null {
  const a = arch.compute.systolic;
  if (!a) return null;
  const axes = SYSTOLIC_AXES[a.dataflow];
  const rowSpatial = axisFactors(axes.rows, layer, a.rows);
  const colSpatial = axisFactors(axes.cols, layer, a.cols);
  if (!rowSpatial || !colSpatial) return null;
  const fanLevel = arch.levels.findIndex((l) => l.spatialDims.length > 0);
  if (fanLevel < 0) return null;
  const spatial = new Map<Dim, number>([...rowSpatial, ...colSpatial]);
  const temporal: Loop[] = [];
  const streaming = DIMS.filter((d) => !axes.stationary.includes(d));
  for (const d of [...axes.rows, ...axes.cols, ...streaming]) {
    const f = layer[d] / (spatial.get(d) ?? 1);
    if (f > 1) temporal.push({ dim: DIMS.indexOf(d), factor: f });
  }
  return {
    levels: arch.levels.map((l, i) => ({
      temporal: i === 0 ? temporal : [],
      spatial: i === fanLevel ? [...spatial].filter(([, f]) => f > 1).map(([d, f]) => ({ dim: DIMS.indexOf(d), factor: f })) : [],
      keeps: [...l.keeps],
    })),
  };
}

/** Spatial factors (one divisor per dim) whose product is size / ceil(size / side), or null. */
function axisFactors(dims: Dim[], layer: LayerShape, side: number): Map<Dim, number> | null {
  const size = dims.reduce((p, d) => p * layer[d], 1);
  const folds = Math.ceil(size / side);
  if (size % folds !== 0) return null;
  const want = size / folds;
  const pick = new Map<Dim, number>();
  const walk = (k: number, prod: number): boolean => {
    if (k === dims.length) return prod === want;
    for (const f of divisors(layer[dims[k]!])) {
      if (want % (prod * f) !== 0) continue;
      pick.set(dims[k]!, f);
      if (walk(k + 1, prod * f)) return true;
    }
    return false;
  };
  return walk(0, 1) ? pick : null;
}
