import { DseError } from '../../core/errors.ts';
import { convOutHW } from '../op-size.ts';
import type { Op, Workload } from '../types.ts';

/** Size fields every op of a kind must carry as positive integers. */
const SIZE_FIELDS: Record<Op['kind'], string[]> = {
  conv2d: ['batch', 'inH', 'inW', 'inC', 'outC', 'kH', 'kW', 'strideH', 'strideW', 'groups'],
  matmul: ['m', 'n', 'k', 'count'],
  attention: ['batch', 'heads', 'seqQ', 'seqKV', 'headDim'],
  pool: ['batch', 'channels', 'inH', 'inW', 'kH', 'kW', 'strideH', 'strideW'],
  eltwise: ['elements'],
  embedding: ['tokens', 'vocab', 'dim'],
};

/** How many inputs an op takes: [fewest, most]. */
function expectedInputs(op: Op): [number, number] {
  switch (op.kind) {
    case 'attention':
      return [3, 3];
    case 'matmul':
      return op.weightOperand && !op.moe ? [1, 1] : [2, 2];
    case 'eltwise':
      // add/mul: two activations, or one and a stored operand (a bias, a scale).
      if (op.fn === 'add' || op.fn === 'mul') return [1, 2];
      return op.fn === 'concat' ? [1, Infinity] : [1, 1];
    default:
      return [1, 1];
  }
}

/**
 * Checks that a workload is a well-formed DAG the cost model and scheduler can trust: unique
 * op names and tensor ids, every input made earlier (or a network input), every output made
 * once, sizes positive integers, conv channels divisible by groups. Throws a DseError whose
 * path names the op and field (`ops[3].inC`), attributed to `file` when the workload came from one.
 */
export function validateGraph(w: Workload, file?: string): void {
  const fail = (path: string, message: string): never => {
    throw new DseError('invalid_workload', message, { path, file });
  };
  if (typeof w.name !== 'string' || w.name.length === 0) fail('name', 'workload needs a name');
  if (!Array.isArray(w.ops) || w.ops.length === 0) fail('ops', 'workload has no ops');

  for (const [key, t] of Object.entries(w.tensors)) {
    if (t.id !== key) fail(`tensors.${key}.id`, `tensor is keyed '${key}' but has id '${t.id}'`);
    if (!isPositiveInt(t.elements)) fail(`tensors.${key}.elements`, `must be a positive integer, got ${String(t.elements)}`);
    if (t.kind !== 'input' && t.kind !== 'activation') fail(`tensors.${key}.kind`, `must be 'input' or 'activation'`);
  }

  const names = new Set<string>();
  const produced = new Set<string>();
  w.ops.forEach((op, i) => {
    const at = `ops[${i}]`;
    if (typeof op.name !== 'string' || op.name.length === 0) fail(`${at}.name`, 'op needs a name');
    if (names.has(op.name)) fail(`${at}.name`, `op name '${op.name}' is used twice`);
    names.add(op.name);
    const fields = SIZE_FIELDS[op.kind];
    if (!fields) fail(`${at}.kind`, `unknown op kind '${String((op as { kind: unknown }).kind)}'`);
    const rec = op as unknown as Record<string, unknown>;
    for (const f of fields) {
      if (!isPositiveInt(rec[f])) fail(`${at}.${f}`, `${op.name}: ${f} must be a positive integer, got ${String(rec[f])}`);
    }
    for (const f of ['padH', 'padW']) {
      if (f in rec && !(Number.isInteger(rec[f]) && (rec[f] as number) >= 0)) fail(`${at}.${f}`, `${op.name}: ${f} must be an integer >= 0`);
    }
    for (const f of ['weightBits', 'activationBits']) {
      const b = rec[f];
      if (b !== undefined && !(isPositiveInt(b) && (b as number) <= 32)) fail(`${at}.${f}`, `${op.name}: ${f} must be an integer 1..32`);
    }
    if (op.kind === 'conv2d') {
      if (op.inC % op.groups !== 0) fail(`${at}.inC`, `${op.name}: inC ${op.inC} is not divisible by groups ${op.groups}`);
      if (op.outC % op.groups !== 0) fail(`${at}.outC`, `${op.name}: outC ${op.outC} is not divisible by groups ${op.groups}`);
    }
    if (op.kind === 'conv2d' || op.kind === 'pool') {
      if (op.kind === 'conv2d' && (op.outH !== undefined || op.outW !== undefined)) {
        if (!isPositiveInt(op.outH)) fail(`${at}.outH`, `${op.name}: outH must be a positive integer`);
        if (!isPositiveInt(op.outW)) fail(`${at}.outW`, `${op.name}: outW must be a positive integer`);
      }
      const { outH, outW } = convOutHW(op);
      if (outH < 1) fail(`${at}.kH`, `${op.name}: kernel ${op.kH} does not fit input height ${op.inH} (padding ${op.padH})`);
      if (outW < 1) fail(`${at}.kW`, `${op.name}: kernel ${op.kW} does not fit input width ${op.inW} (padding ${op.padW})`);
    }
    if (!Array.isArray(op.inputs)) fail(`${at}.inputs`, `${op.name}: inputs must be a list of tensor ids`);
    const [fewest, most] = expectedInputs(op);
    if (op.inputs.length < fewest || op.inputs.length > most) {
      const want = fewest === most ? String(fewest) : most === Infinity ? `${fewest} or more` : `${fewest} to ${most}`;
      fail(`${at}.inputs`, `${op.name}: ${op.kind}${op.kind === 'eltwise' ? ` ${op.fn}` : ''} takes ${want} input${most > 1 ? 's' : ''}, got ${op.inputs.length}`);
    }
    op.inputs.forEach((id, j) => {
      const t = w.tensors[id];
      if (!t) fail(`${at}.inputs[${j}]`, `${op.name}: input tensor '${id}' does not exist`);
      if (t!.kind === 'activation' && !produced.has(id)) fail(`${at}.inputs[${j}]`, `${op.name}: input '${id}' is not produced by an earlier op`);
    });
    if (op.kind === 'eltwise') checkEltwiseSizes(w, op, at, fail);
    const out = w.tensors[op.output];
    if (!out) fail(`${at}.output`, `${op.name}: output tensor '${op.output}' does not exist`);
    if (out!.kind === 'input') fail(`${at}.output`, `${op.name}: writes '${op.output}', which is a network input`);
    if (produced.has(op.output)) fail(`${at}.output`, `${op.name}: tensor '${op.output}' is produced twice`);
    produced.add(op.output);
  });

  for (const t of Object.values(w.tensors)) {
    if (t.kind === 'activation' && !produced.has(t.id)) fail(`tensors.${t.id}`, `activation '${t.id}' is produced by no op`);
  }
}

/**
 * Element counts of an element-wise op's inputs: concat's add up to its output; add and mul
 * take an input of the output's size and, as the other operand, one of the same size or one
 * that broadcasts over it (a per-channel scale: its size divides the output's). Anything else
 * (an add of 14,400 and 16,384 elements) is a wiring mistake the cost model would hide.
 */
function checkEltwiseSizes(w: Workload, op: Extract<Op, { kind: 'eltwise' }>, at: string, fail: (path: string, message: string) => never): void {
  const sizes = op.inputs.map((id) => w.tensors[id]?.elements);
  if (sizes.some((e) => e === undefined)) return; // reported as a missing tensor
  const list = sizes.map((e, j) => `'${op.inputs[j]}' ${e}`).join(', ');
  if (op.fn === 'concat') {
    const total = (sizes as number[]).reduce((a, b) => a + b, 0);
    if (total !== op.elements) fail(`${at}.inputs`, `${op.name}: concat of ${list} elements gives ${total}, but the op has ${op.elements}`);
    return;
  }
  if ((op.fn === 'add' || op.fn === 'mul') && sizes.length === 2) {
    const [a, b] = sizes as [number, number];
    const big = Math.max(a, b);
    const small = Math.min(a, b);
    if (big !== op.elements || big % small !== 0) {
      fail(`${at}.inputs`, `${op.name}: ${op.fn} joins ${list} elements, which neither match nor broadcast to its ${op.elements}`);
    }
  }
}

function isPositiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}
