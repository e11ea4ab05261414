// A map that keeps its most recently used entries up to a capacity: the rules' caches of work already
// done (imported keys, key hashes) stay bounded whatever a peer sends. Pure.

export class BoundedCache<K, V> {
  readonly capacity: number
  /** Insertion order of a Map is the recency order: a hit is moved to the end. */
  private readonly entries = new Map<K, V>()

  constructor (capacity: number) {
    this.capacity = capacity
  }

  get size (): number {
    return this.entries.size
  }

  get (key: K): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  set (key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
  }
}
