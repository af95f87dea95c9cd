import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onnxToWorkload } from '../../models/workload/onnx/onnx-to-workload.ts';
import { median, type BenchSection, type BenchTable } from '../table.ts';

/**
 * ONNX import: bytes already in memory -> validated workload graph (protobuf decode, shape
 * inference, op mapping, graph validation). "first" is the first import in a fresh process,
 * which also parses onnx.proto and lets protobufjs generate its decoders (median of 5
 * processes, wall and CPU time); "warm" is the median of 20 further imports. Target: a 1,000-node model in
 * under 200 ms. The models were written by test/models/workload/onnx/data/write_fixtures.py
 * (onnx.helper), AlexNet comes from ZigZag.
 */
const MODELS: [string, string, Record<string, number>][] = [
  ['chain_1000 (1,000 nodes)', '../../test/models/workload/onnx/data/chain_1000.onnx', { batch: 1 }],
  ['resnet50 (175 nodes)', '../../test/models/workload/onnx/data/resnet50.onnx', { batch: 1 }],
  ['alexnet (24 nodes)', '../../test/golden/data/onnx/alexnet.onnx', {}],
];
const PROCESSES = 5;
const WARM = 20;

/**
 * Wall and CPU milliseconds of one import in a fresh Node process (the timers cover the import
 * call only). CPU time (process.cpuUsage, user + system) is what the import costs when the
 * machine is shared; wall time is what a user waits on an idle one.
 */
function firstImport(file: string, params: Record<string, number>): { wallMs: number; cpuMs: number } {
  const importer = fileURLToPath(new URL('../../models/workload/onnx/onnx-to-workload.ts', import.meta.url));
  const script = `
    import { readFileSync } from 'node:fs';
    const { onnxToWorkload } = await import(${JSON.stringify(importer)});
    const bytes = readFileSync(${JSON.stringify(file)});
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    onnxToWorkload(bytes, 'bench.onnx', ${JSON.stringify(params)});
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    process.stdout.write(JSON.stringify({ wallMs, cpuMs: (c.user + c.system) / 1000 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as { wallMs: number; cpuMs: number };
}

export const section: BenchSection = {
  name: 'onnx-import',
  async run(): Promise<BenchTable[]> {
    const rows: (string | number)[][] = [];
    for (const [label, rel, params] of MODELS) {
      const file = fileURLToPath(new URL(rel, import.meta.url));
      const bytes = readFileSync(file);
      const firsts = Array.from({ length: PROCESSES }, () => firstImport(file, params));
      const w = onnxToWorkload(bytes, 'bench.onnx', params).workload;
      const times: number[] = [];
      for (let i = 0; i < WARM; i++) {
        const t0 = performance.now();
        onnxToWorkload(bytes, 'bench.onnx', params);
        times.push(performance.now() - t0);
      }
      rows.push([label, (bytes.length / 1024).toFixed(0), w.ops.length, median(firsts.map((f) => f.wallMs)).toFixed(1), median(firsts.map((f) => f.cpuMs)).toFixed(1), median(times).toFixed(2)]);
    }
    return [{
      title: 'ONNX import: bytes -> validated workload graph',
      columns: ['model', 'KiB', 'workload ops', 'first ms', 'first CPU ms', 'warm ms'],
      rows,
      notes: [
        'Target: a 1,000-node model imports in under 200 ms, first import in a fresh process included.',
        'CPU ms counts all threads of the process (the garbage collector\'s too); on a loaded machine wall time exceeds it.',
      ],
    }];
  },
};
