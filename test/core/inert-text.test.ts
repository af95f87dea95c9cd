import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { csvField, escapeControls, shellHint, terminalLine } from '../../core/inert-text.ts';
import { mdCell } from '../../results/check-markdown.ts';

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const hostile = ['a\rimport os; os.system("x")', 'b\nc', 'nul\u0000here', '\u001b[31mred\u001b[0m', '\u001b]0;title\u0007', 'rtl\u202eevil', '\u0085next'];

test('terminal lines carry no control character and are cut with their length', () => {
  for (const h of hostile) assert.doesNotMatch(terminalLine(h), CONTROL, JSON.stringify(h));
  assert.equal(terminalLine('\u001b[31m'), '\\x1b[31m');
  const huge = 'x'.repeat(200_000);
  const line = terminalLine(`bad value ${huge}`);
  assert.ok(line.length < 1100, String(line.length));
  assert.match(line, /\(cut: 200,010 characters in all\)$/);
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => !CONTROL.test(terminalLine(s))));
});

test('CSV: formula prefixes are text, controls are escaped, numbers stay numbers', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tcmd'), '\\tcmd');
  assert.equal(csvField(-2.5), '-2.5');
  assert.equal(csvField('os'), 'os');
  assert.equal(csvField('a\u001b[2Jb'), 'a\\x1b[2Jb');
  assert.equal(csvField('a,b'), '"a,b"');
});

test('Markdown cells: no line break, NUL or ANSI escape survives', () => {
  for (const h of hostile) {
    const cell = mdCell(h);
    assert.doesNotMatch(cell, CONTROL, JSON.stringify(h));
  }
});

test('shell hints: pasting them runs nothing, whatever the path holds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-hint-'));
  try {
    const marker = join(dir, 'pwned');
    const paths = [`runs/$(touch ${marker})`, `runs/\`touch ${marker}\``, `it's; touch ${marker}`, `a\nb; touch ${marker}`, `x\u001b[31m$(touch ${marker})`, 'back\\slash'];
    for (const p of paths) {
      const hint = shellHint(p);
      assert.doesNotMatch(hint, /[\n\r\u001b]/, 'one visible line');
      const echoed = execFileSync('bash', ['-c', `printf %s ${hint}`], { encoding: 'utf8' });
      assert.equal(echoed, p, `${hint} reads back as the path`);
      assert.ok(!existsSync(marker), `${hint} ran a command`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(escapeControls('ok'), 'ok');
});
