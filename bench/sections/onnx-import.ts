import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onnxToWorkload } from '../../models/workload/onnx/onnx-to-workload.ts';
import { median, type BenchSection, type BenchTable } from '../table.ts';

/**
 * ONNX import: bytes already in memory -> validated workload graph (protobuf decode, shape
 * inference, op mapping, graph validation). "first" is the first import in a fresh process,
 * which also parses onnx.proto and lets protobufjs generate its decoders (median of 5
 * processes); "warm" is the median of 20 further imports. Target: a 1,000-node model in
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

/** Milliseconds of one import in a fresh Node process (the timer covers the import call only). */
function firstImportMs(file: string, params: Record<string, number>): number {
  const importer = fileURLToPath(new URL('../../models/workload/onnx/onnx-to-workload.ts', import.meta.url));
  const script = `
    import { readFileSync } from 'node:fs';
    const { onnxToWorkload } = await import(${JSON.stringify(importer)});
    const bytes = readFileSync(${JSON.stringify(file)});
    const t0 = performance.now();
    onnxToWorkload(bytes, 'bench.onnx', ${JSON.stringify(params)});
    process.stdout.write(String(performance.now() - t0));`;
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }));
}

export const section: BenchSection = {
  name: 'onnx-import',
  async run(): Promise<BenchTable[]> {
    const rows: (string | number)[][] = [];
    for (const [label, rel, params] of MODELS) {
      const file = fileURLToPath(new URL(rel, import.meta.url));
      const bytes = readFileSync(file);
      const first = median(Array.from({ length: PROCESSES }, () => firstImportMs(file, params)));
      const w = onnxToWorkload(bytes, 'bench.onnx', params).workload;
      const times: number[] = [];
      for (let i = 0; i < WARM; i++) {
        const t0 = performance.now();
        onnxToWorkload(bytes, 'bench.onnx', params);
        times.push(performance.now() - t0);
      }
      rows.push([label, (bytes.length / 1024).toFixed(0), w.ops.length, first.toFixed(1), median(times).toFixed(2)]);
    }
    return [{
      title: 'ONNX import: bytes -> validated workload graph',
      columns: ['model', 'KiB', 'workload ops', 'first ms', 'warm ms'],
      rows,
      notes: ['Target: a 1,000-node model imports in under 200 ms (first import in a fresh process included).'],
    }];
  },
};
