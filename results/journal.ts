import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DseError } from '../core/errors.ts';
import { MAX_INPUT_BYTES, openRegularFile } from '../core/data-file.ts';
import { isOsError, osErrorToDse } from '../core/write-file.ts';
import type { JournalHeader, Trial } from '../core/types.ts';

/**
 * The journal of a run: `journal.jsonl`, one JSON value per line. Line 1 is the JournalHeader,
 * every later line one Trial. Append-only: a batch of trials is written as whole lines in one
 * write, so a run killed mid-write leaves at most one torn last line, which readers ignore.
 */

const CHUNK_BYTES = 1 << 20;
/** No trial line comes near this (a design and its metrics are a few hundred bytes); a longer one is not a journal. */
export const MAX_LINE_CHARS = MAX_INPUT_BYTES;

export interface JournalRead {
  header: JournalHeader;
  trials: Trial[];
  /** True when the last line was cut short (or otherwise unparseable) and was ignored. */
  tornLastLine: boolean;
}

export interface JournalScan {
  header: JournalHeader;
  /** Number of trials passed to the callback. */
  trialCount: number;
  tornLastLine: boolean;
}

/** Reads a whole journal into memory (`check` may refuse a line). Use `forEachTrial` for journals too large for that. */
export function readJournal(file: string, check?: (trial: Trial, line: number, header: JournalHeader) => void): JournalRead {
  const trials: Trial[] = [];
  const scan = forEachTrial(file, (t, line, header) => {
    check?.(t, line, header);
    trials.push(t);
  });
  return { header: scan.header, trials, tornLastLine: scan.tornLastLine };
}

/**
 * Streams the trials of a journal through `fn` in file order, reading 1 MiB at a time, so a
 * journal of millions of trials never sits in memory at once. Same rules as `readJournal`:
 * a bad last line is reported as torn, a bad line anywhere else is a DseError naming file and line.
 */
export function forEachTrial(file: string, fn: (trial: Trial, line: number, header: JournalHeader) => void): JournalScan {
  let header: JournalHeader | undefined;
  let trialCount = 0;
  // A line that failed to parse is only an error if another non-empty line follows it;
  // if it is the last one, it is the torn tail of a killed run.
  let pending: DseError | undefined;

  const onLine = (text: string, line: number): void => {
    if (text.trim().length === 0) return;
    if (pending) throw pending;
    if (header === undefined) {
      header = parseJournalHeader(text, file, line);
      return;
    }
    let trial: Trial;
    try {
      trial = parseTrial(text, file, line);
    } catch (e) {
      pending = e as DseError;
      return;
    }
    fn(trial, line, header);
    trialCount++;
  };

  const fd = openForRead(file);
  try {
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let rest = '';
    let line = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const text = rest + decoder.write(buf.subarray(0, n));
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        line++;
        onLine(text.slice(start, nl), line);
        start = nl + 1;
      }
      rest = text.slice(start);
      if (rest.length > MAX_LINE_CHARS) {
        throw new DseError('journal_line_too_long', `line ${line + 1} is longer than ${MAX_LINE_CHARS} characters: not a journal line`, { file });
      }
    }
    rest += decoder.end();
    if (rest.length > 0) onLine(rest, line + 1);
  } finally {
    closeSync(fd);
  }

  if (header === undefined) {
    // A header that is itself torn means the run never got past its first write: still not a journal.
    if (pending) throw pending;
    throw new DseError('journal_no_header', 'journal is empty: expected a header on line 1', { file });
  }
  return { header, trialCount, tornLastLine: pending !== undefined };
}

/** Reads only a journal's header (line 1), however long the journal. */
export function readJournalHeader(file: string): JournalHeader {
  const fd = openForRead(file);
  try {
    const buf = Buffer.allocUnsafe(64 * 1024);
    const parts: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      parts.push(Buffer.from(buf.subarray(0, nl === -1 ? n : nl)));
      if (nl !== -1) break;
    }
    const text = Buffer.concat(parts).toString('utf8');
    if (text.trim().length === 0) throw new DseError('journal_no_header', 'journal is empty: expected a header on line 1', { file });
    return parseJournalHeader(text, file, 1);
  } finally {
    closeSync(fd);
  }
}

function openForRead(file: string): number {
  return openRegularFile(file, 'journal');
}

function parseJsonLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DseError('journal_bad_line', `line ${line} is not valid JSON (${(e as Error).message})`, { file });
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and validates a journal's header line (shared with the report's skim reader). */
export function parseJournalHeader(text: string, file: string, line: number): JournalHeader {
  const h = parseJsonLine(text, file, line);
  const bad = (what: string): DseError =>
    new DseError('journal_bad_header', `line ${line}: not a journal header: ${what}`, { file });
  if (!isRecord(h) || h.type !== 'header') throw bad(`expected an object with type 'header'`);
  if (typeof h.studyHash !== 'string' || h.studyHash.length === 0) throw bad('studyHash must be a non-empty string');
  if (h.problemHash !== undefined && (typeof h.problemHash !== 'string' || h.problemHash.length === 0)) throw bad('problemHash must be a non-empty string');
  if (typeof h.seed !== 'number' || !Number.isFinite(h.seed)) throw bad('seed must be a number');
  if (typeof h.version !== 'string') throw bad('version must be a string');
  if (typeof h.createdAt !== 'string') throw bad('createdAt must be a string');
  if (!Array.isArray(h.objectives) || h.objectives.length === 0 || !h.objectives.every((o) => typeof o === 'string')) {
    throw bad('objectives must be a non-empty list of names');
  }
  if (!('study' in h)) throw bad('study is missing');
  if (h.shard !== undefined) {
    const s = h.shard;
    if (!isRecord(s) || !Number.isInteger(s.index) || !Number.isInteger(s.count)) throw bad('shard must be {index, count}');
  }
  return h as unknown as JournalHeader;
}

const STATUSES = new Set(['ok', 'infeasible', 'failed']);

/** Checks the shape of a trial line by hand: this runs a million times on big journals. */
function parseTrial(text: string, file: string, line: number): Trial {
  const t = parseJsonLine(text, file, line);
  const bad = (what: string): DseError => new DseError('journal_bad_line', `line ${line}: not a trial: ${what}`, { file });
  if (!isRecord(t)) throw bad('expected an object');
  if (t.type === 'header') throw bad('a second header');
  if (!Number.isInteger(t.seq)) throw bad('seq must be an integer');
  if (typeof t.hash !== 'string' || t.hash.length === 0) throw bad('hash must be a non-empty string');
  if (!isRecord(t.design)) throw bad('design must be an object');
  if (typeof t.status !== 'string' || !STATUSES.has(t.status)) throw bad(`status must be ok, infeasible or failed`);
  if (t.metrics !== undefined && !isRecord(t.metrics)) throw bad('metrics must be an object');
  if (t.objectives !== undefined) {
    if (!Array.isArray(t.objectives) || !t.objectives.every((x) => typeof x === 'number')) throw bad('objectives must be a list of numbers');
  }
  if (t.status === 'ok' && t.objectives === undefined) throw bad(`a trial with status 'ok' needs objectives`);
  if (t.violations !== undefined && !Array.isArray(t.violations)) throw bad('violations must be a list');
  if (t.error !== undefined && typeof t.error !== 'string') throw bad('error must be a string');
  return t as unknown as Trial;
}

/**
 * Appends trials to a journal. `create` starts a new file with its header; `open` continues an
 * existing one (a resumed run), first cutting off a torn last line so new lines never glue onto it.
 */
export class JournalWriter {
  readonly file: string;
  readonly header: JournalHeader;
  private fd: number | undefined;
  private readonly sync: boolean;
  /** Where the next write goes (the file's end; only this writer appends to it). */
  private offset: number;

  private constructor(file: string, fd: number, header: JournalHeader, sync: boolean) {
    this.file = file;
    this.fd = fd;
    this.header = header;
    this.sync = sync;
    this.offset = fstatSync(fd).size;
  }

  /**
   * Starts a new journal. Refuses to overwrite an existing file (that would lose a run).
   * `sync: true` flushes each batch to disk (fsync) before `append` returns.
   */
  static create(file: string, header: JournalHeader, opts: { sync?: boolean } = {}): JournalWriter {
    if (header.type !== 'header') throw new TypeError(`JournalWriter.create: header.type must be 'header'`);
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new DseError('journal_exists', 'a journal already exists here; choose another run directory', { file });
      throw new DseError('file_unwritable', `cannot create journal (${code ?? String(e)})`, { file });
    }
    const w = new JournalWriter(file, fd, header, opts.sync ?? false);
    w.writeAll(JSON.stringify(header) + '\n');
    return w;
  }

  /** Opens an existing journal for appending; its header is read and returned as `header`. */
  static open(file: string, opts: { sync?: boolean } = {}): JournalWriter {
    if (!existsSync(file)) throw new DseError('file_not_found', 'journal not found', { file });
    const scan = forEachTrial(file, () => {});
    const fd = openSync(file, 'r+');
    try {
      repairTail(fd, scan.tornLastLine);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return new JournalWriter(file, fd, scan.header, opts.sync ?? false);
  }

  /** Writes the trials as whole lines, in one write per batch. */
  append(trials: readonly Trial[]): void {
    if (trials.length === 0) return;
    let text = '';
    for (const t of trials) text += JSON.stringify(t) + '\n';
    this.writeAll(text);
  }

  /**
   * Writes trial lines serialised elsewhere (by the worker threads, dse/trial-batch.ts): whole
   * UTF-8 lines, each ending in a newline, in one write.
   */
  appendLines(lines: Uint8Array): void {
    if (lines.length === 0) return;
    if (lines[lines.length - 1] !== 0x0a) throw new Error('JournalWriter.appendLines: lines must end with a newline');
    this.writeBytes(lines);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private writeAll(text: string): void {
    this.writeBytes(Buffer.from(text, 'utf8'));
  }

  private writeBytes(buf: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`JournalWriter: ${this.file} is closed`);
    const end = this.offset;
    // One write call; a short write (rare, e.g. a full disk) is continued rather than lost.
    try {
      let done = writeSync(this.fd, buf, 0, buf.length, end);
      while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, end + done);
      if (this.sync) fsyncSync(this.fd);
    } catch (e) {
      // A full disk or a lost mount: cut off the part of the batch that got written, so the
      // journal ends at a line boundary and `--resume` continues from the last whole batch.
      try {
        ftruncateSync(this.fd, end);
      } catch {
        // Readers ignore a torn last line and a resuming writer cuts it off anyway.
      }
      throw isOsError(e) ? osErrorToDse(e, 'append to the journal', this.file) : e;
    }
    this.offset = end + buf.length;
  }
}

/**
 * Makes the file end at a line boundary before appending, so a new line never glues onto an
 * old one: a torn last line (as the reader judged it) is cut off; a good last line that lost
 * only its newline (the kill came between the text and the newline) gets the newline.
 */
function repairTail(fd: number, torn: boolean): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const { lineStart, lastByte } = lastLineStart(fd, size);
  if (torn) ftruncateSync(fd, lineStart);
  else if (lastByte !== 0x0a) writeSync(fd, '\n', size);
}

/** Byte offset where the last non-blank line starts, reading backwards in chunks. */
function lastLineStart(fd: number, size: number): { lineStart: number; lastByte: number } {
  const chunk = Buffer.alloc(64 * 1024);
  let lastByte = -1;
  let seenText = false;
  for (let pos = size; pos > 0; ) {
    const from = Math.max(0, pos - chunk.length);
    const n = readSync(fd, chunk, 0, pos - from, from);
    for (let i = n - 1; i >= 0; i--) {
      const b = chunk[i]!;
      if (lastByte === -1) lastByte = b;
      const blank = b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09;
      if (!blank) seenText = true;
      else if (seenText && b === 0x0a) return { lineStart: from + i + 1, lastByte };
    }
    pos = from;
  }
  return { lineStart: 0, lastByte };
}
