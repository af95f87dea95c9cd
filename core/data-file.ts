import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { DseError } from './errors.ts';

/**
 * Largest study, hardware, workload, front or baseline file read (64 MiB). Such a file is read
 * whole into memory; a bigger one is a mistake (a wrong path, a device), not a study.
 * Journals are streamed instead and have no size limit; one of their lines has this limit.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Opens a file for reading only if it is a regular file (after symlinks). Opened non-blocking,
 * so a FIFO or a device named as input is refused at once instead of blocking on open or
 * streaming forever (/dev/zero); `what` names the file in messages ("journal", "file").
 */
export function openRegularFile(file: string, what = 'file'): number {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DseError('file_not_found', `${what} not found`, { file });
    if (code === 'EISDIR') throw new DseError('file_is_directory', 'is a directory, expected a file', { file });
    throw new DseError('file_unreadable', `cannot read ${what} (${code ?? String(e)})`, { file });
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'a device';
    throw new DseError(stat.isDirectory() ? 'file_is_directory' : 'file_not_regular', `is ${kind}, expected a regular file`, { file });
  }
  return fd;
}

/**
 * Reads a text file, turning "not there", "not readable", "not a regular file" and "larger
 * than MAX_INPUT_BYTES" into a DseError naming the file.
 */
export function readTextFile(file: string, maxBytes = MAX_INPUT_BYTES): string {
  return readBytes(file, maxBytes).toString('utf8');
}

/**
 * Largest binary model read (an ONNX file): 2 GiB, the most a protobuf message (hence an ONNX
 * model without external data) can hold.
 */
export const MAX_MODEL_BYTES = 2 * 1024 * 1024 * 1024;

/** Reads a binary file (an ONNX model), with the same checks and errors as readTextFile. */
export function readBinaryFile(file: string, maxBytes = MAX_MODEL_BYTES): Uint8Array {
  const buf = readBytes(file, maxBytes);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The size is checked before reading, and reading stops at the limit in case the file grows meanwhile. */
function readBytes(file: string, maxBytes: number): Buffer {
  const fd = openRegularFile(file);
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw tooLarge(file, size, maxBytes);
    const buf = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled === buf.length) {
        if (filled > maxBytes) throw tooLarge(file, filled, maxBytes);
        break;
      }
    }
    return buf.subarray(0, filled);
  } catch (e) {
    if (e instanceof DseError) throw e;
    throw new DseError('file_unreadable', `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file });
  } finally {
    closeSync(fd);
  }
}

function tooLarge(file: string, size: number, maxBytes: number): DseError {
  return new DseError('file_too_large', `is larger (${mib(size)}) than the ${mib(maxBytes)} limit for an input file`, { file });
}

function mib(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toPrecision(3))} MiB`;
}

/**
 * Parses YAML (a superset of JSON) safely: plain data only, no custom tags, no merge-key tricks,
 * and no `__proto__` key (copying such an object would set its prototype instead of a key, so
 * the key would vanish silently instead of being reported as unknown).
 */
export function parseDataText(text: string, file: string): unknown {
  try {
    const data: unknown = parseYaml(text, { schema: 'core', merge: false, uniqueKeys: true, maxAliasCount: 100 });
    refuseProtoKeys(data, [], file);
    return data;
  } catch (e) {
    if (e instanceof DseError) throw e;
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      throw new DseError('malformed_yaml', `malformed YAML/JSON${where}: ${e.message.split('\n')[0]}`, { file });
    }
    throw new DseError('malformed_yaml', `malformed YAML/JSON: ${(e as Error).message}`, { file });
  }
}

/** Reads and parses a YAML or JSON file. */
export function readDataFile(file: string): unknown {
  return parseDataText(readTextFile(file), file);
}

function refuseProtoKeys(value: unknown, path: string[], file: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => refuseProtoKeys(v, [...path, String(i)], file));
    return;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') throw new DseError('invalid_field', "unknown key '__proto__'", { file, path: path.join('.') });
    refuseProtoKeys((value as Record<string, unknown>)[key], [...path, key], file);
  }
}
