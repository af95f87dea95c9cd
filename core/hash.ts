import * as crypto from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Stable 16-hex-digit hash of a value's canonical JSON (designs, studies, schedule cache keys). */
export function stableHash(value: unknown): string {
  return hashOfCanonicalJson(canonicalJson(value));
}

/**
 * `stableHash` of the value whose canonical JSON is `text`. The one-shot `crypto.hash` (Node
 * 20.12+) costs about half of a createHash object, which counts when every line of a
 * million-trial journal is checked; older Node 20 releases take the object.
 */
export function hashOfCanonicalJson(text: string): string {
  const hex = crypto.hash ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
  return hex.slice(0, 16);
}
