import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-helpers.ts';

/*
 * configs/llm-decode.yaml: Llama-3-8B decode at batch 1 reads ~4 GB of weights and KV cache per
 * token and does ~8.6 G MACs, one MAC per weight byte at 8 bits: far below any array's compute
 * rate per DRAM byte, so the front must be memory-bound. Checked on a short run of the study.
 */
test('configs/llm-decode.yaml: its front is memory-bound (latency falls with DRAM bandwidth, nearly flat in array size)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-llm-'));
  try {
    const r = runCli(['run', 'configs/llm-decode.yaml', '--budget', '500', '--out', join(dir, 'run'), '--no-report']);
    assert.equal(r.code, 0, r.stderr);
    const front = (JSON.parse(readFileSync(join(dir, 'run', 'front.json'), 'utf8')) as { front: { design: Record<string, number>; metrics: Record<string, number> }[] }).front;
    const bandwidths = [...new Set(front.map((t) => t.design.dramGBps!))].sort((a, b) => a - b);
    assert.ok(bandwidths.length >= 3, `front spans ${bandwidths.join(', ')} GB/s`);
    // Latency falls with bandwidth: the best latency at each bandwidth is well below the one before.
    const best = bandwidths.map((bw) => Math.min(...front.filter((t) => t.design.dramGBps === bw).map((t) => t.metrics.latencyS!)));
    for (let i = 1; i < best.length; i++) assert.ok(best[i]! < 0.8 * best[i - 1]!, `best latency ${best.join(' > ')} s at ${bandwidths.join(', ')} GB/s`);
    // At the lowest bandwidth, arrays of very different sizes (and areas) give nearly the same latency.
    const slow = front.filter((t) => t.design.dramGBps === bandwidths[0]);
    const pes = slow.map((t) => t.design.peRows! * t.design.peCols!);
    const lat = slow.map((t) => t.metrics.latencyS!);
    assert.ok(Math.max(...pes) >= 4 * Math.min(...pes), `array sizes on the slow-memory front: ${pes.join(', ')}`);
    assert.ok(Math.max(...lat) <= 1.1 * Math.min(...lat), `latencies ${lat.join(', ')} s across arrays of ${pes.join(', ')} PEs`);
    // One token per sequence per step: tokens/s is batch (1) over latency.
    for (const t of front) assert.ok(Math.abs(t.metrics.tokensPerS! * t.metrics.latencyS! - 1) < 1e-9);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
