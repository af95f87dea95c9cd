import { basename, extname } from 'node:path';
import { DseError } from '../../core/errors.ts';
import type { Op, TensorSpec, Workload } from '../types.ts';
import { validateGraph } from './validate-graph.ts';

/*
 * SCALE-Sim v2 topology CSVs (scalesim-project/scale-sim-v2, topologies/). Two formats, told
 * apart by the header:
 *   conv: Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides
 *         (or Stride height, Stride width as two columns, as SCALE-Sim writes them)
 *   GEMM: Layer name, M, N, K   (SCALE-Sim's "mnk" input)
 * Their own files end rows with a comma, pad cells with spaces and tabs, leave blank lines and
 * sometimes a trailing '#comment' cell; all of that is accepted.
 */

const CONV_COLUMNS = ['Layer name', 'IFMAP Height', 'IFMAP Width', 'Filter Height', 'Filter Width', 'Channels', 'Num Filter', 'Strides'];
const CONV_COLUMNS_2STRIDE = [...CONV_COLUMNS.slice(0, 7), 'Stride height', 'Stride width'];
const GEMM_COLUMNS = ['Layer name', 'M', 'N', 'K'];

type Format = 'conv' | 'gemm';

function normalise(cell: string): string {
  return cell.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Cells of a row, without the trailing empty cells and '#' comments SCALE-Sim's files carry. */
function cellsOf(line: string): string[] {
  const cells = line.split(',').map((c) => c.trim());
  while (cells.length > 0 && (cells[cells.length - 1] === '' || cells[cells.length - 1]!.startsWith('#'))) cells.pop();
  return cells;
}

function detect(header: string[]): { format: Format; columns: string[] } | undefined {
  const h = header.map(normalise);
  const same = (cols: string[]): boolean => h.length === cols.length && cols.every((c, i) => normalise(c) === h[i] || (i === 0 && h[0] === 'layer'));
  if (same(CONV_COLUMNS)) return { format: 'conv', columns: CONV_COLUMNS };
  if (same(CONV_COLUMNS_2STRIDE)) return { format: 'conv', columns: CONV_COLUMNS_2STRIDE };
  if (same(GEMM_COLUMNS)) return { format: 'gemm', columns: GEMM_COLUMNS };
  return undefined;
}

/** True when the text's first non-blank line is a SCALE-Sim topology header. */
export function isScaleSimTopology(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim().length > 0);
  return first !== undefined && detect(cellsOf(first)) !== undefined;
}

/**
 * Parses a SCALE-Sim topology into a chain of ops (batch 1), each reading the previous one's
 * output. Conv rows become conv2d ops with no padding and SCALE-Sim's output size
 * ceil((H - Fh + S) / S); a layer whose name contains 'DP' is depthwise as in SCALE-Sim
 * (its Channels are run one at a time with Num Filter filters each: groups = Channels).
 * GEMM rows become matmul ops m=M, n=N, k=K with B a stored weight. SCALE-Sim's IFMAP sizes
 * include the padding, so a layer may read more elements than its producer wrote; the chain
 * only records the order and the dependency.
 */
export function parseScaleSimTopology(text: string, file: string): Workload {
  const lines = text.split(/\r?\n/);
  const headerIdx = lines.findIndex((l) => l.trim().length > 0);
  if (headerIdx < 0) throw new DseError('malformed_csv', 'empty topology file', { file });
  const found = detect(cellsOf(lines[headerIdx]!));
  if (!found) {
    throw new DseError(
      'malformed_csv',
      `unknown header; expected SCALE-Sim conv '${CONV_COLUMNS.join(', ')}' or GEMM '${GEMM_COLUMNS.join(', ')}'`,
      { path: `line ${headerIdx + 1}`, file },
    );
  }
  const { format, columns } = found;
  const tensors: Record<string, TensorSpec> = {};
  const ops: Op[] = [];
  let prev = 'input';
  const lineOf = new Map<string, number>();

  for (let i = headerIdx + 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const cells = cellsOf(lines[i]!);
    if (cells.length === 0) continue;
    const fail = (column: string | undefined, message: string): never => {
      throw new DseError('malformed_csv', message, { path: column ? `line ${lineNo}, ${column}` : `line ${lineNo}`, file });
    };
    if (cells.length !== columns.length) fail(undefined, `expected ${columns.length} columns (${columns.join(', ')}), got ${cells.length}`);
    const name = cells[0]!;
    if (name.length === 0) fail(columns[0], 'layer name is empty');
    if (lineOf.has(name) || name === 'input') fail(columns[0], `layer name '${name}' is ${name === 'input' ? 'reserved' : `already used on line ${lineOf.get(name)}`}`);
    const v = cells.slice(1).map((c, j) => {
      if (!/^\d+$/.test(c) || Number(c) <= 0) fail(columns[j + 1], `must be a positive integer, got '${c}'`);
      const n = Number(c);
      if (!Number.isSafeInteger(n)) fail(columns[j + 1], `too large: ${c}`);
      return n;
    });

    if (ops.length === 0) {
      const elements = format === 'conv' ? v[0]! * v[1]! * v[4]! : v[0]! * v[2]!;
      tensors[prev] = { id: prev, elements, kind: 'input', shape: format === 'conv' ? [1, v[4]!, v[0]!, v[1]!] : [v[0]!, v[2]!] };
    }
    if (format === 'conv') {
      const [H, W, Fh, Fw, C, F, Sh] = v as [number, number, number, number, number, number, number];
      const Sw = v[7] ?? Sh;
      if (Fh > H) fail(columns[3], `filter height ${Fh} exceeds IFMAP height ${H}`);
      if (Fw > W) fail(columns[4], `filter width ${Fw} exceeds IFMAP width ${W}`);
      const outH = Math.ceil((H - Fh + Sh) / Sh);
      const outW = Math.ceil((W - Fw + Sw) / Sw);
      const depthwise = name.includes('DP');
      const outC = depthwise ? C * F : F;
      ops.push({
        kind: 'conv2d', name, inputs: [prev], output: name,
        batch: 1, inH: H, inW: W, inC: C, outC, kH: Fh, kW: Fw, strideH: Sh, strideW: Sw, padH: 0, padW: 0,
        groups: depthwise ? C : 1, outH, outW,
      });
      tensors[name] = { id: name, elements: outC * outH * outW, kind: 'activation', shape: [1, outC, outH, outW] };
    } else {
      const [M, N, K] = v as [number, number, number];
      ops.push({ kind: 'matmul', name, inputs: [prev], output: name, m: M, n: N, k: K, count: 1, weightOperand: true });
      tensors[name] = { id: name, elements: M * N, kind: 'activation', shape: [M, N] };
    }
    lineOf.set(name, lineNo);
    prev = name;
  }
  if (ops.length === 0) throw new DseError('malformed_csv', 'topology has a header but no layers', { file });
  const w: Workload = { name: basename(file, extname(file)), params: {}, tensors, ops };
  validateGraph(w, file);
  return w;
}
