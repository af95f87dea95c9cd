import { DIMS, OPERANDS, type Architecture, type Mapping } from './types.ts';

/** A mapping as an indented loop nest, one line per loop, each level labelled with what it keeps. */
export function loopNestText(arch: Architecture, mapping: Mapping): string {
  const lines: string[] = [];
  let indent = '';
  mapping.levels.forEach((lv, i) => {
    const kept = OPERANDS.filter((o) => lv.keeps.includes(o)).join('') || '-';
    lines.push(`${indent}${arch.levels[i]!.name} [${kept}]`);
    for (const l of lv.temporal) {
      lines.push(`${indent}  for ${DIMS[l.dim]!.toLowerCase()}${i} in [0,${l.factor})`);
      indent += '  ';
    }
    for (const l of lv.spatial) {
      lines.push(`${indent}  spatial-for ${DIMS[l.dim]!.toLowerCase()}${i} in [0,${l.factor})`);
      indent += '  ';
    }
  });
  lines.push(`${indent}  ${arch.compute.name}`);
  return lines.join('\n');
}
