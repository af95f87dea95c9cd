/**
 * Errors a user can cause (bad file, bad field, unknown name). The CLI prints
 * `error: <file>: <path>: <message>` and exits 2; anything else is a bug and keeps its stack.
 */
export class DseError extends Error {
  readonly code: string;
  /** Dotted path of the offending field, e.g. `space.peRows.max`; empty when not about one field. */
  readonly path: string;
  /** File the bad input came from, when there is one. */
  readonly file: string | undefined;

  constructor(code: string, message: string, opts: { path?: string; file?: string } = {}) {
    super(message);
    this.name = 'DseError';
    this.code = code;
    this.path = opts.path ?? '';
    this.file = opts.file;
  }

  /** One line for a terminal: file, field path, message. */
  toLine(): string {
    const where = [this.file, this.path].filter((s) => s && s.length > 0).join(': ');
    return where ? `${where}: ${this.message}` : this.message;
  }

  /** The same error, attributed to a file (keeps code and path). */
  inFile(file: string): DseError {
    if (this.file) return this;
    const e = new DseError(this.code, this.message, { path: this.path, file });
    e.stack = this.stack;
    return e;
  }
}

export function isDseError(e: unknown): e is DseError {
  return e instanceof DseError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'DseError');
}
