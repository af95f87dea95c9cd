import { Prng } from '../core/prng.ts';

const ROUNDS = 6;

/**
 * A seeded pseudo-random bijection of [0, N) with O(1) memory, for N up to 2^53.
 *
 * A balanced Feistel network permutes [0, 4^k) (the smallest power of four >= N, so at most
 * about 4N); a value that lands outside [0, N) is fed through the network again ("cycle
 * walking") until it lands inside. Because the network is a bijection of the larger domain,
 * walking the cycle from x must come back into [0, N) before returning to x, so the restriction
 * is a bijection of [0, N); the expected number of walks is below 4.
 *
 * `at(p)` is the index at position p; `positionOf(x)` is its inverse. Random search walks
 * p = 0, 1, 2, ... and so samples the whole space without replacement without remembering
 * what it has seen.
 */
export class Permutation {
  readonly size: number;
  private readonly halfBits: number;
  private readonly half: number;
  private readonly mask: number;
  private readonly keys: number[];
  /** size split into (high half, low half) for the in-range test without forming numbers >= 2^53. */
  private readonly sizeHi: number;
  private readonly sizeLo: number;

  constructor(size: number, seed: number) {
    if (!Number.isInteger(size) || size < 0 || size > 2 ** 53) throw new RangeError(`Permutation: size must be a whole number in [0, 2^53], got ${size}`);
    this.size = size;
    let bits = 0;
    while (2 ** bits < size) bits++;
    this.halfBits = Math.max(1, Math.ceil(bits / 2));
    this.half = 2 ** this.halfBits;
    this.mask = this.half - 1;
    const prng = new Prng(seed);
    this.keys = Array.from({ length: ROUNDS }, () => prng.nextU32());
    this.sizeHi = Math.floor(size / this.half);
    this.sizeLo = size % this.half;
  }

  /** The element at position p (0 <= p < size). */
  at(p: number): number {
    this.check(p);
    let l = Math.floor(p / this.half);
    let r = p % this.half;
    for (;;) {
      for (let i = 0; i < ROUNDS; i++) {
        const t = r;
        r = (l ^ this.round(r, this.keys[i]!)) >>> 0;
        l = t;
      }
      if (this.inRange(l, r)) return l * this.half + r;
    }
  }

  /** The position of element x (inverse of `at`). */
  positionOf(x: number): number {
    this.check(x);
    let l = Math.floor(x / this.half);
    let r = x % this.half;
    for (;;) {
      for (let i = ROUNDS - 1; i >= 0; i--) {
        const t = l;
        l = (r ^ this.round(l, this.keys[i]!)) >>> 0;
        r = t;
      }
      if (this.inRange(l, r)) return l * this.half + r;
    }
  }

  private inRange(l: number, r: number): boolean {
    return l < this.sizeHi || (l === this.sizeHi && r < this.sizeLo);
  }

  private round(x: number, key: number): number {
    // A 32-bit integer mix (murmur3 finaliser) of the half and the round key.
    let h = Math.imul(x ^ key, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca77);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae3d);
    h ^= h >>> 16;
    return (h >>> 0) & this.mask;
  }

  private check(p: number): void {
    if (!Number.isSafeInteger(p) || p < 0 || p >= this.size) throw new RangeError(`Permutation: ${p} is outside [0, ${this.size})`);
  }
}
