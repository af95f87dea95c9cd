import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-helpers.ts';

const LLAMA = 'test/models/workload/data/hf/meta-llama-3-8b/config.json';

test('dse workloads <config.json> --param phase=decode shows the imported decoder; a bad config exits 2 with one line naming field and file', () => {
  const ok = runCli(['workloads', LLAMA, '--param', 'phase=decode', '--param', 'context=4096', '--param', 'batch=8']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /layers\.31\.attn/);
  const dir = mkdtempSync(join(tmpdir(), 'dse-hf-'));
  try {
    mkdirSync(join(dir, 'falcon'));
    const file = join(dir, 'falcon', 'config.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(LLAMA, 'utf8')), architectures: ['FalconForCausalLM'] }));
    const bad = runCli(['workloads', file]);
    assert.equal(bad.code, 2);
    const lines = bad.stderr.trim().split('\n');
    assert.equal(lines.length, 1, bad.stderr);
    assert.match(lines[0]!, /config\.json/);
    assert.match(lines[0]!, /architectures/);
    assert.match(lines[0]!, /FalconForCausalLM/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
