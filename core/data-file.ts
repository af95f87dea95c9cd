import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { DseError } from './errors.ts';

/** Reads a text file, turning "not there" and "not readable" into a DseError naming the file. */
export function readTextFile(file: string): string {
  return readReporting(file, () => readFileSync(file, 'utf8'));
}

/** Reads a binary file (an ONNX model), with the same errors as readTextFile. */
export function readBinaryFile(file: string): Uint8Array {
  return readReporting(file, () => readFileSync(file));
}

function readReporting<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DseError('file_not_found', 'file not found', { file });
    if (code === 'EISDIR') throw new DseError('file_is_directory', 'is a directory, expected a file', { file });
    throw new DseError('file_unreadable', `cannot read file (${code ?? String(e)})`, { file });
  }
}

/** Parses YAML (a superset of JSON) safely: plain data only, no custom tags, no merge-key tricks. */
export function parseDataText(text: string, file: string): unknown {
  try {
    return parseYaml(text, { schema: 'core', merge: false, uniqueKeys: true, maxAliasCount: 100 });
  } catch (e) {
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
