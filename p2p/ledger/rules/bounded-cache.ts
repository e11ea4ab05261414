// A map that keeps its most recently used entries up to a capacity: the caches of work already done
// (imported keys, key hashes, verified signatures, the chain's recent unspent outputs) stay bounded
// whatever a peer sends. Entries sit on a linked list in recency order, so a hit, an insert and an
// eviction are each O(1): evicting through a Map's own order (keys().next()) walks past every slot
// that deleted entries left at its front, which made a full cache cost ~15 µs per insert. Pure.

interface Node<K, V> {
  key: K
  value: V
  weight: number
  older: Node<K, V> | undefined
  newer: Node<K, V> | undefined
}

export class BoundedCache<K, V> {
  /** The most total weight kept (each entry weighs 1 unless set says otherwise). */
  readonly capacity: number
  private readonly nodes = new Map<K, Node<K, V>>()
  private oldest: Node<K, V> | undefined
  private newest: Node<K, V> | undefined
  private total = 0

  constructor (capacity: number) {
    this.capacity = capacity
  }

  /** The total weight of the entries kept. */
  get size (): number {
    return this.total
  }

  /** The value, now the most recently used. */
  get (key: K): V | undefined {
    const node = this.nodes.get(key)
    if (node === undefined) return undefined
    this.unlink(node)
    this.append(node)
    return node.value
  }

  /** The value kept for `key`, else `make`'s, kept (weighing 1) — a memo of work already done. */
  getOrSet (key: K, make: () => V): V {
    const kept = this.get(key)
    if (kept !== undefined) return kept
    const value = make()
    this.set(key, value)
    return value
  }

  /** Sets (or re-weighs) an entry as the most recently used, then drops the least recently used over capacity. */
  set (key: K, value: V, weight = 1): void {
    let node = this.nodes.get(key)
    if (node === undefined) {
      node = { key, value, weight: 0, older: undefined, newer: undefined }
      this.nodes.set(key, node)
    } else {
      this.unlink(node)
      node.value = value
    }
    this.total += weight - node.weight
    node.weight = weight
    this.append(node)
    // The entry just set stays, even if it alone is over capacity.
    while (this.total > this.capacity && this.oldest !== node) this.delete(this.oldest!.key)
  }

  delete (key: K): void {
    const node = this.nodes.get(key)
    if (node === undefined) return
    this.nodes.delete(key)
    this.unlink(node)
    this.total -= node.weight
  }

  private unlink (node: Node<K, V>): void {
    if (node.older === undefined) this.oldest = node.newer
    else node.older.newer = node.newer
    if (node.newer === undefined) this.newest = node.older
    else node.newer.older = node.older
    node.older = node.newer = undefined
  }

  private append (node: Node<K, V>): void {
    node.older = this.newest
    if (this.newest === undefined) this.oldest = node
    else this.newest.newer = node
    this.newest = node
  }
}
