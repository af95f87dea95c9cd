/**
 * The design hashes of a journal seen so far, each with the line it was first seen on, for the
 * duplicate check of a report over a million lines. A design hash is 16 hex digits (core/hash.ts),
 * so it is kept as two 32-bit numbers in typed arrays (open addressing) instead of a Map of a
 * million strings, which the garbage collector would walk over and over. Any other string
 * (none passes the hash check, but this stays exact for any input) goes to a Map.
 */
export class DesignHashSet {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  /** Line of each slot; 0 is an empty slot (lines are 1-based). */
  private lines = new Int32Array(1 << 16);
  private size = 0;
  private readonly other = new Map<string, number>();

  /** Adds `hash`, seen on `line` (≥ 1), unless it was added before: then the line it was first added on. */
  add(hash: string, line: number): number | undefined {
    const hi = hexWord(hash, 0), lo = hexWord(hash, 8);
    if (hash.length !== 16 || hi < 0 || lo < 0) {
      const first = this.other.get(hash);
      if (first === undefined) this.other.set(hash, line);
      return first;
    }
    let slot = this.slotOf(hi, lo);
    if (this.lines[slot] !== 0) return this.lines[slot];
    if (2 * (this.size + 1) > this.lines.length) {
      this.grow();
      slot = this.slotOf(hi, lo);
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.lines[slot] = line;
    this.size++;
    return undefined;
  }

  /** The slot holding (hi, lo), or the empty slot where it would go. */
  private slotOf(hi: number, lo: number): number {
    const mask = this.lines.length - 1;
    let slot = lo & mask;
    while (this.lines[slot] !== 0 && (this.hi[slot] !== hi || this.lo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    this.hi = new Uint32Array(lines.length * 2);
    this.lo = new Uint32Array(lines.length * 2);
    this.lines = new Int32Array(lines.length * 2);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue;
      const slot = this.slotOf(hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.lines[slot] = lines[i]!;
    }
  }
}

/** The 8 lowercase hex digits of `text` from `at` as an unsigned 32-bit number; -1 if any is not one. */
function hexWord(text: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = text.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}
