import { DseError } from '../../core/errors.ts';
import { DIMS, OPERANDS, type Loop, type Mapping, type Operand } from './types.ts';

/**
 * Timeloop's compact mapping string (`Nest::PrintCompact`):
 *
 *   mapping := level (" - " level)*      outermost level first
 *   level   := "L" n "[" kept "] " loop (" " loop)*
 *   loop    := DIM FACTOR ["X" | "Y"]    X/Y = spatial, else temporal; loops outer to inner
 *
 * Loops of bound 1 may be omitted; `N1` is Timeloop's placeholder for "no temporal loop".
 * `levelCount` is the number of storage levels of the architecture: the string must name
 * L(levelCount-1) down to L0, in that order.
 */
export function parseMappingString(text: string, levelCount: number, path = 'mapping'): Mapping {
  const parts = text.trim().split(/\s+-\s+/);
  if (parts.length !== levelCount) {
    throw new DseError('invalid_mapping', `has ${parts.length} levels, the architecture has ${levelCount}`, { path });
  }
  const levels = parts.map((part, i) => {
    const expected = levelCount - 1 - i;
    const m = /^L(\d+)\[([A-Z]*)\]((?:\s+\S+)*)$/.exec(part.trim());
    if (!m) throw new DseError('invalid_mapping', `level "${part}" is not of the form L<n>[<kept>] <loops>`, { path });
    if (Number(m[1]) !== expected) {
      throw new DseError('invalid_mapping', `level L${m[1]} found where L${expected} was expected (outermost first)`, { path });
    }
    const keeps: Operand[] = [];
    for (const ch of m[2]!) {
      if (!(OPERANDS as readonly string[]).includes(ch) || keeps.includes(ch as Operand)) {
        throw new DseError('invalid_mapping', `L${expected}: kept operands "${m[2]}" must be distinct letters of W, I, O`, { path });
      }
      keeps.push(ch as Operand);
    }
    const temporal: Loop[] = [];
    const spatial: Loop[] = [];
    for (const tok of m[3]!.trim().split(/\s+/).filter((t) => t.length > 0)) {
      const lm = /^([NCKPQRS])(\d+)([XY]?)$/.exec(tok);
      if (!lm) throw new DseError('invalid_mapping', `L${expected}: loop "${tok}" is not <dim><factor>[X|Y] with dim in N C K P Q R S`, { path });
      const factor = Number(lm[2]);
      if (!Number.isSafeInteger(factor) || factor < 1) {
        throw new DseError('invalid_mapping', `L${expected}: loop "${tok}" needs a factor >= 1`, { path });
      }
      const loop = { dim: (DIMS as readonly string[]).indexOf(lm[1]!), factor };
      if (lm[3]) spatial.push(loop);
      else if (temporal.length > 0 && spatial.length > 0) {
        throw new DseError('invalid_mapping', `L${expected}: temporal loop "${tok}" after a spatial loop (spatial loops sit inside)`, { path });
      } else temporal.push(loop);
    }
    return { temporal: temporal.filter((l) => l.factor > 1), spatial: spatial.filter((l) => l.factor > 1), keeps };
  });
  return { levels };
}

/** Prints a mapping in Timeloop's compact form (the inverse of parseMappingString). */
export function formatMappingString(mapping: Mapping): string {
  const n = mapping.levels.length;
  return mapping.levels
    .map((lv, i) => {
      const kept = OPERANDS.filter((o) => lv.keeps.includes(o)).join('');
      const loops = [
        ...lv.temporal.filter((l) => l.factor > 1).map((l) => `${DIMS[l.dim]}${l.factor}`),
        ...lv.spatial.filter((l) => l.factor > 1).map((l) => `${DIMS[l.dim]}${l.factor}X`),
      ];
      if (!lv.temporal.some((l) => l.factor > 1)) loops.unshift('N1');
      return `L${n - 1 - i}[${kept}] ${loops.join(' ')}`;
    })
    .join(' - ');
}
