import { DseError } from '../../core/errors.ts';
import type { MappingCost } from './mapping-model.ts';
import { DIMS, type Architecture, type Dim, type Mapping, type SystolicArray } from './types.ts';

/**
 * SCALE-Sim v2's per-fold fill/drain on an architecture whose MACs form a systolic array
 * (`compute.systolic`). The mapping model (mapping-model.ts) counts one cycle per temporal step;
 * a systolic array also pays, every time its stationary operand changes (a fold), the cycles to
 * load it and to drain the wavefront: 2R + C - 2 for ws and is (the stationary operand is
 * shifted in over R rows first), R + C - 2 for os, on an R x C array (models/cost/systolic.ts,
 * docs/COST_MODEL.md "Compute: SCALE-Sim v2's systolic model"). Applied after the mapping
 * model: its cycles are max(compute, each level's bandwidth-bound cycles), so
 * max(its cycles, compute + folds x overhead) is the systolic cycle count exactly.
 */

/** Per dataflow: the dims on the array rows, on its columns, and the dims of the operand that stays in the PEs. */
export const SYSTOLIC_AXES: Record<SystolicArray['dataflow'], { rows: Dim[]; cols: Dim[]; stationary: Dim[] }> = {
  ws: { rows: ['C', 'R', 'S'], cols: ['K'], stationary: ['C', 'K', 'R', 'S'] },
  os: { rows: ['N', 'P', 'Q'], cols: ['K'], stationary: ['N', 'K', 'P', 'Q'] },
  is: { rows: ['C', 'R', 'S'], cols: ['N', 'P', 'Q'], stationary: ['N', 'C', 'P', 'Q', 'R', 'S'] },
};

/** Fill/drain cycles of one fold (SCALE-Sim's per-fold cycles minus its streaming steps). */
export function foldOverheadCycles(a: SystolicArray): number {
  return a.dataflow === 'os' ? a.rows + a.cols - 2 : 2 * a.rows + a.cols - 2;
}

/**
 * Folds of a mapping: how many times the array's stationary operand changes. Every step of a
 * temporal loop at or outside the innermost temporal loop over a stationary dim (loops taken
 * outermost level first, each level's outer to inner) brings a new stationary tile; the loops
 * inside it only stream the other operands through. With the stationary dims outermost (as
 * SCALE-Sim orders them) this is the product of their temporal factors.
 */
export function systolicFolds(a: SystolicArray, mapping: Mapping): number {
  const stationary = SYSTOLIC_AXES[a.dataflow].stationary.map((d) => DIMS.indexOf(d));
  let product = 1;
  let folds = 1;
  for (const lv of mapping.levels) {
    for (const l of lv.temporal) {
      if (l.factor === 1) continue;
      product *= l.factor;
      if (stationary.includes(l.dim)) folds = product;
    }
  }
  return folds;
}

/**
 * Spatial loops of a systolic mapping must lie on the array's axes: the product of the spatial
 * factors over the row dims at most `rows`, over the column dims at most `cols` (Timeloop-style
 * fan-out alone only bounds their product by rows x cols). Throws naming the mapping level.
 */
export function checkSystolicAxes(arch: Architecture, mapping: Mapping, path = 'mapping'): void {
  const a = arch.compute.systolic;
  if (!a) return;
  const axes = SYSTOLIC_AXES[a.dataflow];
  let rows = 1;
  let cols = 1;
  mapping.levels.forEach((lv, i) => {
    for (const l of lv.spatial) {
      const d = DIMS[l.dim]!;
      if (axes.rows.includes(d)) rows *= l.factor;
      else if (axes.cols.includes(d)) cols *= l.factor;
      else if (l.factor > 1) {
        throw new DseError('invalid_mapping', `${arch.levels[i]!.name}: spatial loop over ${d} is on neither axis of the ${a.dataflow} array (rows ${axes.rows.join(' ')}, columns ${axes.cols.join(' ')})`, { path: `${path}.L${arch.levels.length - 1 - i}` });
      }
    }
  });
  if (rows > a.rows) throw new DseError('invalid_mapping', `spatial factors over ${axes.rows.join(' ')} multiply to ${rows}, above the array's ${a.rows} rows`, { path });
  if (cols > a.cols) throw new DseError('invalid_mapping', `spatial factors over ${axes.cols.join(' ')} multiply to ${cols}, above the array's ${a.cols} columns`, { path });
}

/** Cycles a mapping's compute takes on the array: its streaming steps plus every fold's fill/drain. */
export function systolicComputeCycles(a: SystolicArray, mapping: Mapping, computeCycles: number): number {
  return computeCycles + systolicFolds(a, mapping) * foldOverheadCycles(a);
}

/**
 * A mapping's cost with the array's fill/drain: compute cycles grow by the folds' overhead,
 * cycles become max(the model's cycles, those compute cycles), and leaking levels leak over the
 * added cycles. Unchanged (the same object) when the architecture has no systolic array.
 */
export function withSystolicFolds(arch: Architecture, mapping: Mapping, cost: MappingCost): MappingCost {
  const a = arch.compute.systolic;
  if (!a) return cost;
  const computeCycles = systolicComputeCycles(a, mapping, cost.computeCycles);
  const cycles = Math.max(cost.cycles, computeCycles);
  const added = cycles - cost.cycles;
  const levels = cost.levels.map((lc, i) => {
    const lv = arch.levels[i]!;
    const leak = lv.energyPJ.leakPerCycle * lv.instances * added;
    return leak === 0 ? lc : { ...lc, energyPJ: lc.energyPJ + leak };
  });
  const leakPJ = levels.reduce((s, lc, i) => s + lc.energyPJ - cost.levels[i]!.energyPJ, 0);
  return {
    ...cost,
    computeCycles,
    cycles,
    energyPJ: cost.energyPJ + leakPJ,
    levels,
    bound: computeCycles >= cost.cycles ? arch.compute.name : cost.bound,
  };
}
