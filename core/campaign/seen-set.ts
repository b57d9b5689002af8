/**
 * A compact set of strings for duplicate detection over millions of rows: it stores a 64-bit hash
 * (two independent 32-bit FNV-1a variants) in an open-addressing table of Uint32 pairs, about
 * 16 bytes per entry instead of a JS string each. Two different keys collide with probability
 * about n^2 / 2^65 (under 3e-8 for a million rows).
 */
export class CompactSeenSet {
  private table = new Uint32Array(2 * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    const [h1, h2] = hashPair(key);
    return this.hasHash(h1, h2);
  }

  /** `has` for a key already hashed (see hashTaggedInto). */
  hasHash(h1: number, h2: number): boolean {
    const slots = this.table.length / 2;
    for (let slot = h1 % slots; ; slot = (slot + 1) % slots) {
      const a = this.table[slot * 2];
      const b = this.table[slot * 2 + 1];
      if (a === 0 && b === 0) return false;
      if (a === h1 && b === h2) return true;
    }
  }

  /** Adds the key; returns false if it was already present. */
  add(key: string): boolean {
    const [h1, h2] = hashPair(key);
    return this.addHash(h1, h2);
  }

  /** `add` for a key already hashed (see hashTaggedInto). */
  addHash(h1: number, h2: number): boolean {
    if ((this.count + 1) * 2 > this.table.length / 2) this.grow();
    return this.insert(h1, h2);
  }

  private insert(h1: number, h2: number): boolean {
    const slots = this.table.length / 2;
    let slot = h1 % slots;
    for (;;) {
      const a = this.table[slot * 2];
      const b = this.table[slot * 2 + 1];
      if (a === 0 && b === 0) {
        this.table[slot * 2] = h1;
        this.table[slot * 2 + 1] = h2;
        this.count++;
        return true;
      }
      if (a === h1 && b === h2) return false;
      slot = (slot + 1) % slots;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i], old[i + 1]);
    }
  }
}

function hashPair(key: string): [number, number] {
  const out = new Uint32Array(2);
  hashTaggedInto("", key, out, 0);
  return [out[0], out[1]];
}

/**
 * Writes the hash pair of `tag + key` into out[at], out[at + 1] without building the string: a
 * duplicate check hashes every row's id and number, and the set holds the same pairs either way.
 */
export function hashTaggedInto(tag: string, key: string, out: Uint32Array, at: number): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ (tag.length + key.length);
  for (let i = 0; i < tag.length; i++) {
    const code = tag.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  // Zero marks an empty slot, so keep at least one half non-zero.
  out[at] = h1 >>> 0 || 1;
  out[at + 1] = h2 >>> 0;
}
