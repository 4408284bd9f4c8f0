// A Map bounded in size that forgets the entries not used recently first (least recently
// used, approximated by a second chance for entries read since their insertion). Per-tenant
// caches use it so a tenant's memory stays bounded however many keys it sees.
export class BoundedMap<K, V> {
  readonly #max: number;
  /** In insertion order; `used`: read since it was (re)inserted. */
  readonly #entries = new Map<K, { value: V; used: boolean }>();

  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError('BoundedMap needs room for at least one entry');
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, marking it used. A read only sets a flag (moving the entry to the end of the
   * Map on every read cost ~2 % of the send path's main thread); eviction gives used entries
   * a second chance instead (see set), which forgets the least recently used first in the
   * same way for the patterns caches see. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, used: false });
    // Past the bound: the oldest entry goes, unless it was read since it was inserted (then
    // it moves to the end, unmarked, and the next oldest is considered) or it is the entry
    // just set (reached once all others had their second chance).
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      const [oldestKey, entry] = oldest.value;
      this.#entries.delete(oldestKey);
      if (entry.used || oldestKey === key) {
        entry.used = false;
        this.#entries.set(oldestKey, entry);
      }
    }
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** Removes every entry the predicate selects; returns how many. */
  deleteWhere(predicate: (value: V, key: K) => boolean): number {
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (predicate(entry.value, key)) {
        this.#entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.#entries.clear();
  }
}
