// A map that keeps its newest entries up to a capacity: the caches of work already done (imported keys,
// key hashes, the chain's recent unspent outputs) stay bounded whatever a peer sends. Oldest in, first out — a hit is not moved, as
// moving costs a delete and an insert per lookup, and a key pushed out is only worked out once again.
// Pure.

export class BoundedCache<K, V> {
  readonly capacity: number
  private readonly entries = new Map<K, V>()

  constructor (capacity: number) {
    this.capacity = capacity
  }

  get size (): number {
    return this.entries.size
  }

  get (key: K): V | undefined {
    return this.entries.get(key)
  }

  set (key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
  }

  delete (key: K): void {
    this.entries.delete(key)
  }
}
