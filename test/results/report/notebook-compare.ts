/**
 * Compares a notebook's stored outputs with those of a fresh run of it, cell by cell: the same
 * outputs in the same order; printed text and HTML equal; each plotly figure's traces equal in
 * every field the stored trace has (numbers to 1e-9 relative). Layouts are not compared: the
 * plotly Python package adds its own template and defaults to them. A cell whose metadata says
 * `accel_dse.reproducible: false` (the scikit-learn refit, which depends on the reader's
 * scikit-learn) is skipped.
 */
type Json = Record<string, unknown>;

function text(v: unknown): string {
  return Array.isArray(v) ? v.join('') : String(v ?? '');
}

function same(a: unknown, b: unknown, path: string, diffs: string[]): void {
  if (diffs.length > 20) return;
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b && Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b))) diffs.push(`${path}: ${a} != ${b}`);
    return;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) {
      diffs.push(`${path}: array of ${a.length} != ${Array.isArray(b) ? `array of ${b.length}` : JSON.stringify(b)?.slice(0, 80)}`);
      return;
    }
    a.forEach((x, i) => same(x, b[i], `${path}[${i}]`, diffs));
    return;
  }
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object') {
      diffs.push(`${path}: object != ${JSON.stringify(b)?.slice(0, 80)}`);
      return;
    }
    for (const [k, v] of Object.entries(a)) same(v, (b as Json)[k], `${path}.${k}`, diffs);
    return;
  }
  if (a !== b) diffs.push(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
}

export function compareNotebooks(stored: Json, fresh: Json): string[] {
  const diffs: string[] = [];
  const a = stored.cells as Json[], b = fresh.cells as Json[];
  if (a.length !== b.length) return [`${a.length} cells stored, ${b.length} after the run`];
  a.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    if ((cell.metadata as { accel_dse?: { reproducible?: boolean } }).accel_dse?.reproducible === false) return;
    const so = cell.outputs as Json[], fo = (b[i]!.outputs as Json[]).filter((o) => !(o.output_type === 'stream' && o.name === 'stderr'));
    const where = `cell ${i} (${String(cell.id)})`;
    if (fo.some((o) => o.output_type === 'error')) {
      diffs.push(`${where}: error ${text((fo.find((o) => o.output_type === 'error') as Json).evalue)}`);
      return;
    }
    if (so.length !== fo.length) {
      diffs.push(`${where}: ${so.length} outputs stored, ${fo.length} after the run`);
      return;
    }
    so.forEach((o, j) => {
      const f = fo[j]!;
      const w = `${where} output ${j}`;
      if (o.output_type !== f.output_type) return void diffs.push(`${w}: ${String(o.output_type)} != ${String(f.output_type)}`);
      if (o.output_type === 'stream') {
        if (text(o.text) !== text(f.text)) diffs.push(`${w}: printed ${JSON.stringify(text(o.text))} != ${JSON.stringify(text(f.text))}`);
        return;
      }
      const od = o.data as Json, fd = f.data as Json;
      for (const mime of Object.keys(od)) {
        if (!(mime in fd)) {
          diffs.push(`${w}: no ${mime} after the run`);
          continue;
        }
        if (mime === 'application/vnd.plotly.v1+json') {
          const st = (od[mime] as Json).data as Json[], ft = (fd[mime] as Json).data as Json[];
          if (st.length !== ft.length) diffs.push(`${w}: ${st.length} traces stored, ${ft.length} after the run`);
          else st.forEach((t, k) => same(t, ft[k], `${w} trace ${k} (${String(t.name ?? t.type)})`, diffs));
        } else if (text(od[mime]) !== text(fd[mime])) diffs.push(`${w}: ${mime} differs`);
      }
    });
  });
  return diffs;
}
