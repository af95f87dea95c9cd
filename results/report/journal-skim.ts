/**
 * A fast, lenient pass over a journal for reports. A report of a million trials needs, for
 * each trial, only its status, seq, hash, objective vector and design (the design for the
 * journal checks, dse/journal-trust.ts); the metrics matter only for the few trials that enter
 * the front or the sample. JSON.parse of every line costs several seconds at that size, so this
 * reads the file in large chunks and picks those fields straight out of the bytes (`design()`
 * parses the design's few bytes alone); `full()` parses a line completely when it is needed.
 *
 * What makes this safe: keys are ASCII and every line is one JSON object written by
 * JSON.stringify, where a key like `"objectives":[` cannot occur inside a string (its quotes
 * would be escaped) and the top-level fields of a Trial are the only ones with these names
 * and value types. Any line where a field cannot be read this way is parsed fully instead.
 * Unlike readJournal/forEachTrial (results/journal.ts), a malformed line in the middle of
 * the file is not an error here: it is parsed fully and skipped if that fails too (counted in
 * `skippedLines`). The last line is always parsed fully, so a torn tail is recognised.
 * The header is parsed and validated by results/journal.ts itself, and a trial whose status is
 * not ok, infeasible or failed is rejected as readJournal rejects it (skipped here, torn when last).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openRegularFile } from '../../core/data-file.ts';
import { DseError } from '../../core/errors.ts';
import type { Design, JournalHeader, Trial, TrialStatus } from '../../core/types.ts';
import { MAX_LINE_CHARS, parseJournalHeader } from '../journal.ts';

export interface TrialSkim {
  status: TrialStatus;
  seq: number;
  hash: string;
  /** Undefined when the line has none (failed trials) or a value is not a finite number. */
  objectives: number[] | undefined;
  /** The trial's design, parsed on demand. */
  design(): Design;
  /** The design's JSON text as the line holds it, when it was read from the bytes (a flat object); else undefined. */
  designJson(): string | undefined;
  /** The whole trial, parsed on demand. */
  full(): Trial;
}

/** Called for each trial with its 1-based line number in the file. */
export type SkimCallback = (t: TrialSkim, line: number, header: JournalHeader) => void;

export interface SkimResult {
  header: JournalHeader;
  trials: number;
  tornLastLine: boolean;
  /** Lines that were not valid trials and were left out. */
  skippedLines: number;
}

const CHUNK_BYTES = 8 << 20;
const K_STATUS = Buffer.from('"status":"');
const K_SEQ = Buffer.from('"seq":');
const K_HASH = Buffer.from('"hash":"');
const K_OBJ = Buffer.from('"objectives":[');
const K_DESIGN = Buffer.from('"design":{');
const V_OK = Buffer.from('ok"');
const V_INFEASIBLE = Buffer.from('infeasible"');
const V_FAILED = Buffer.from('failed"');
const NL = 0x0a, QUOTE = 0x22, BACKSLASH = 0x5c, CLOSE_BRACKET = 0x5d, OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b;

export function skimJournal(file: string, onTrial: SkimCallback): SkimResult {
  const fd = openRegularFile(file, 'journal');
  let header: JournalHeader | undefined;
  let trials = 0, skipped = 0, lineNo = 0;
  let tornLastLine = false;
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let offset = 0;
    for (;;) {
      if (filled === buf.length) {
        // A line longer than the buffer: grow it (up to the journal's line limit).
        if (buf.length >= MAX_LINE_CHARS) throw new DseError('journal_line_too_long', `line ${lineNo + 1} is longer than ${MAX_LINE_CHARS} bytes: not a journal line`, { file });
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const n = readSync(fd, buf, filled, buf.length - filled, offset);
      offset += n;
      filled += n;
      const atEnd = n === 0 || offset >= size;
      let start = 0;
      for (;;) {
        // indexOf may see stale bytes past `filled`; only a newline before it ends a line.
        let nl = buf.indexOf(NL, start);
        if (nl < 0 || nl >= filled) {
          if (!atEnd || start >= filled) break;
          nl = filled; // the file's last line, without a newline
        }
        lineNo++;
        const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
        if (!isBlank(buf, start, end)) {
          if (header === undefined) header = parseJournalHeader(buf.toString('utf8', start, end), file, lineNo);
          else {
            const isLastLine = atEnd && lastNonBlank(buf, nl + 1, filled);
            const r = handleTrial(buf, start, end, isLastLine, onTrial, lineNo, header);
            if (r === 'ok') trials++;
            else if (r === 'torn') tornLastLine = true;
            else skipped++;
          }
        }
        start = nl + 1;
      }
      if (atEnd) break;
      // Keep the unfinished line at the front of the buffer.
      buf.copy(buf, 0, start, filled);
      filled -= start;
    }
  } finally {
    closeSync(fd);
  }
  if (header === undefined) throw new DseError('journal_no_header', 'journal is empty: expected a header on line 1', { file });
  return { header, trials, tornLastLine, skippedLines: skipped };
}

function isBlank(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const b = buf[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

/** True when nothing but whitespace follows in the buffer (so this is the file's last line). */
function lastNonBlank(buf: Buffer, from: number, filled: number): boolean {
  for (let i = from; i < filled; i++) {
    const b = buf[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== NL) return false;
  }
  return true;
}

/**
 * True when `value` occurs at i, wholly before e. A byte loop: the keys and values compared
 * are a few bytes, where a native call (buf.compare) costs more than the comparison.
 */
function isAt(buf: Buffer, i: number, e: number, value: Buffer): boolean {
  const n = value.length;
  if (i < 0 || i + n > e) return false;
  for (let k = 0; k < n; k++) if (buf[i + k] !== value[k]) return false;
  return true;
}

/**
 * Index just after `key` within [s, e), or -1. The key is first looked for exactly at `at`
 * (where JSON.stringify puts it in a Trial: no search at all), then searched from `hint` and
 * from the line start, so each line's bytes are mostly scanned once, if at all.
 */
function after(buf: Buffer, key: Buffer, s: number, e: number, hint = s, at = -1): number {
  if (isAt(buf, at, e, key)) return at + key.length;
  let i = buf.indexOf(key, hint);
  if ((i < 0 || i + key.length > e) && hint > s) i = buf.indexOf(key, s);
  return i < 0 || i + key.length > e ? -1 : i + key.length;
}

/**
 * A skimmed line. A class rather than an object with a closure: this is made a million times,
 * and a method costs nothing per instance.
 */
class LineSkim implements TrialSkim {
  private parsed: Trial | undefined;
  constructor(
    readonly status: TrialStatus,
    readonly seq: number,
    readonly hash: string,
    readonly objectives: number[] | undefined,
    private readonly buf: Buffer,
    private readonly s: number,
    private readonly e: number,
    /** Where the design object's text is in the line; -1 when it has to come from a full parse. */
    private readonly ds: number,
    private readonly de: number,
  ) {}

  /** Valid during the callback only, like full(). */
  design(): Design {
    return this.ds < 0 ? this.full().design : (JSON.parse(this.buf.toString('utf8', this.ds, this.de)) as Design);
  }

  designJson(): string | undefined {
    return this.ds < 0 ? undefined : this.buf.toString('utf8', this.ds, this.de);
  }

  /** Valid during the callback only: the buffer is refilled afterwards. */
  full(): Trial {
    return (this.parsed ??= JSON.parse(this.buf.toString('utf8', this.s, this.e)) as Trial);
  }
}

class ParsedSkim implements TrialSkim {
  readonly status: TrialStatus;
  readonly seq: number;
  readonly hash: string;
  readonly objectives: number[] | undefined;
  constructor(private readonly t: Trial) {
    this.status = t.status;
    this.seq = t.seq;
    this.hash = t.hash;
    this.objectives = Array.isArray(t.objectives) && t.objectives.every((x) => typeof x === 'number' && Number.isFinite(x)) ? t.objectives : undefined;
  }
  design(): Design {
    return this.t.design;
  }
  designJson(): undefined {
    return undefined;
  }
  full(): Trial {
    return this.t;
  }
}

/** The statuses readJournal accepts (results/journal.ts); a line with any other is not a trial. */
const STATUSES: ReadonlySet<string> = new Set<TrialStatus>(['ok', 'infeasible', 'failed']);

function parseWhole(buf: Buffer, s: number, e: number): Trial | undefined {
  try {
    const t = JSON.parse(buf.toString('utf8', s, e)) as Trial;
    return t && typeof t === 'object' && STATUSES.has(t.status) && typeof t.hash === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

function handleTrial(buf: Buffer, s: number, e: number, isLastLine: boolean, onTrial: SkimCallback, line: number, header: JournalHeader): 'ok' | 'torn' | 'skipped' {
  if (isLastLine) {
    // The tail may be torn by a killed run: only a line that parses counts.
    const t = parseWhole(buf, s, e);
    if (!t) return 'torn';
    onTrial(new ParsedSkim(t), line, header);
    return 'ok';
  }
  const fast = fastSkim(buf, s, e);
  if (fast) {
    onTrial(fast, line, header);
    return 'ok';
  }
  const t = parseWhole(buf, s, e);
  if (!t) return 'skipped';
  onTrial(new ParsedSkim(t), line, header);
  return 'ok';
}

/**
 * Where `"objectives":[` starts when the line ends with the list (`...,"objectives":[1.5,2]}`,
 * as a run writes every ok trial): found by stepping back over the list's few bytes instead of
 * searching forward through the metrics. -1 when the line ends otherwise (`after` searches).
 */
function objectivesKeyAtEnd(buf: Buffer, from: number, e: number): number {
  if (e - 2 < from || buf[e - 1] !== CLOSE_BRACE || buf[e - 2] !== CLOSE_BRACKET) return -1;
  for (let k = e - 3; k > from; k--) {
    const b = buf[k]!;
    if (b === OPEN_BRACKET) return k + 1 - K_OBJ.length;
    // Only numbers and commas lie inside the list.
    if (!((b >= 0x30 && b <= 0x39) || b === 0x2c || b === 0x2e || b === 0x2d || b === 0x2b || b === 0x65 || b === 0x45)) return -1;
  }
  return -1;
}

/**
 * The comma-separated numbers of a list's text; undefined when one is empty or not a finite
 * number. Slices rather than split(): no array of strings per line (Number() is the rest of
 * the cost: a double printed with 17 digits takes V8's slow exact path).
 */
function numberList(text: string): number[] | undefined {
  const out: number[] = [];
  for (let start = 0; ; ) {
    const comma = text.indexOf(',', start);
    const end = comma < 0 ? text.length : comma;
    if (end === start) return undefined;
    const v = Number(text.slice(start, end));
    if (!Number.isFinite(v)) return undefined;
    out.push(v);
    if (comma < 0) return out;
    start = comma + 1;
  }
}

/** The four fields read from the bytes, or null when any of them is not in the expected form. */
function fastSkim(buf: Buffer, s: number, e: number): LineSkim | null {
  const sq = after(buf, K_SEQ, s, e, s, s + 1);
  if (sq < 0) return null;
  let seq = 0, i = sq, digits = 0;
  for (; i < e && buf[i]! >= 0x30 && buf[i]! <= 0x39; i++, digits++) seq = seq * 10 + (buf[i]! - 0x30);
  if (digits === 0 || digits > 15) return null;

  const hs = after(buf, K_HASH, s, e, i, i + 1);
  if (hs < 0) return null;
  // The hash's closing quote, by a byte loop (a hash is 16 bytes). An escape inside the hash:
  // let JSON.parse read it.
  let he = hs;
  for (; he < e && buf[he] !== QUOTE; he++) if (buf[he] === BACKSLASH) return null;
  if (he >= e) return null;
  const hash = buf.toString('latin1', hs, he);

  // The design comes next (`,"design":{...}`), then the status right after it.
  const ds = after(buf, K_DESIGN, s, e, hs, he + 2) - 1;
  const de = ds < 0 ? -1 : flatObjectEnd(buf, ds, e);
  const st = after(buf, K_STATUS, s, e, he, de < 0 ? -1 : de + 1);
  if (st < 0) return null;
  // The whole value and its closing quote must match: `"okay"` is not `ok` (such a line is parsed fully and skipped).
  const status: TrialStatus | null = isAt(buf, st, e, V_OK) ? 'ok' : isAt(buf, st, e, V_INFEASIBLE) ? 'infeasible' : isAt(buf, st, e, V_FAILED) ? 'failed' : null;
  if (status === null) return null;

  let objectives: number[] | undefined;
  const os = after(buf, K_OBJ, s, e, st, objectivesKeyAtEnd(buf, st, e));
  if (os >= 0) {
    const oe = buf.indexOf(CLOSE_BRACKET, os);
    if (oe < 0 || oe >= e) return null;
    objectives = numberList(buf.toString('latin1', os, oe));
  } else if (status !== 'failed') {
    return null;
  }
  return new LineSkim(status, seq, hash, objectives, buf, s, e, de < 0 ? -1 : ds, de);
}

/**
 * The end (just past the `}`) of the object starting at `{` at i, when it is flat (a design:
 * strings and numbers, no nested object or array); -1 otherwise, and the design then comes
 * from parsing the whole line. Quotes and escapes are followed, so a `}` inside a string does
 * not end it.
 */
function flatObjectEnd(buf: Buffer, i: number, e: number): number {
  let inString = false;
  for (let k = i + 1; k < e; k++) {
    const b = buf[k]!;
    if (inString) {
      if (b === BACKSLASH) k++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === CLOSE_BRACE) return k + 1;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) return -1;
  }
  return -1;
}
