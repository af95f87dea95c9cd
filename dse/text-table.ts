/**
 * A plain-text table for the terminal: columns padded to their widest cell, a dashed rule
 * under the header, right-aligned where `rightAligned(column)` says so (numbers), the last
 * column never padded.
 */
export function textTable(head: string[], rows: string[][], rightAligned: (column: number) => boolean = () => false): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : rightAligned(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
