/**
 * User text (study, workload and parameter names, file paths, values echoed in errors) made
 * inert where it is printed: it shows as text and never acts as a terminal control, a line
 * break, a spreadsheet formula or shell syntax.
 */

/** C0 controls (NUL, CR, LF, ESC...), DEL, C1 controls, line/paragraph separators, bidi overrides. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Every control character written as a visible escape (\x1b, \n, \u202e). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Longest line written to a terminal by an error or a warning. */
export const MAX_TERMINAL_LINE = 1000;

/**
 * One line for a terminal: controls escaped, and cut at `maxChars` with the full length said,
 * so a 200,000-character value or binary garbage in an input cannot flood or drive the terminal.
 */
export function terminalLine(text: unknown, maxChars = MAX_TERMINAL_LINE): string {
  const s = escapeControls(String(text));
  if (s.length <= maxChars) return s;
  return `${s.slice(0, maxChars)}... (cut: ${s.length.toLocaleString('en-US')} characters in all)`;
}

/**
 * A CSV field (RFC 4180 quoting) that a spreadsheet shows as text: a text starting with
 * = + - @ (or a tab or CR, which some spreadsheets skip) would be run as a formula, so it gets a
 * leading apostrophe, the usual marker of "this is text". Numbers are written as numbers.
 */
export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v).replace(CONTROLS, (c) => (c === '\n' || c === '\r' ? c : escapeControls(c)));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Quotes a string as one bash word: single quotes keep everything literal ($, `, \, ;, spaces,
 * newlines); an embedded single quote is closed, escaped and reopened ('\'').
 */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A bash word to show in a hint a user copies ("resume with: dse run --resume <dir>"): single
 * quotes, so a pasted `$()` or backtick never runs; a path with control characters uses bash's
 * $'...' form with escapes, so the hint stays one visible line.
 */
export function shellHint(s: string): string {
  if (!new RegExp(CONTROLS.source).test(s)) return shellQuote(s);
  return `$'${escapeControls(s.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
}
