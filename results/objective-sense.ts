/**
 * Maximised objectives (tokensPerS, inferencesPerS) are negated inside trials, fronts and
 * baselines, so every dominance test, indicator and searcher minimises. What people read shows
 * them the natural way: these helpers undo the negation for display. `maximize` lists the
 * maximised objective names (absent in files written before objectives could be maximised:
 * then all are minimised).
 */
export function naturalValue(value: number, name: string, maximize: readonly string[] | undefined): number {
  return maximize !== undefined && maximize.includes(name) ? -value : value;
}

/** A trial's or a point's objective values the natural way, in objective order. */
export function naturalValues(values: readonly number[], names: readonly string[], maximize: readonly string[] | undefined): number[] {
  return values.map((v, i) => naturalValue(v, names[i]!, maximize));
}

/** "Minimised: a, b. Maximised: c." for summaries and reports. */
export function senseSentence(names: readonly string[], maximize: readonly string[] | undefined, cell: (s: string) => string = (s) => s): string {
  const max = names.filter((n) => maximize?.includes(n));
  const min = names.filter((n) => !maximize?.includes(n));
  return [min.length ? `Minimised: ${min.map(cell).join(', ')}.` : '', max.length ? `Maximised: ${max.map(cell).join(', ')}.` : ''].filter(Boolean).join(' ');
}
