// Signatures already found valid, so a transaction verified when it entered the mempool is not verified
// again when its block connects (nor when a reorg brings it back). Keyed by txid and input index: the
// txid commits to the whole transaction, unlocks included, so a key always names the same public key,
// signature and signed message. Only successes are kept; a bounded least-recently-used map.
// Pure: no I/O; the chain owns one and lends it to the mempool.

/** About 100 bytes an entry: a few megabytes at most. */
export const SIGNATURE_CACHE_ENTRIES = 50_000

export class SignatureCache {
  private readonly capacity: number
  /**
   * Verified input indices by txid; insertion order of a Map is the recency order (a hit is moved to the
   * end). Keyed by the txid string itself, not a string built per lookup: the txid is hashed once.
   */
  private readonly verified = new Map<string, number[]>()
  private pairs = 0
  /** Lookups that found their entry: each one a signature not verified again. */
  hits = 0

  constructor (capacity = SIGNATURE_CACHE_ENTRIES) {
    this.capacity = capacity
  }

  /** (txid, input) pairs kept. */
  get size (): number {
    return this.pairs
  }

  has (txid: string, index: number): boolean {
    const indices = this.verified.get(txid)
    if (indices?.includes(index) !== true) return false
    this.verified.delete(txid)
    this.verified.set(txid, indices)
    this.hits++
    return true
  }

  add (txid: string, index: number): void {
    const indices = this.verified.get(txid) ?? []
    this.verified.delete(txid)
    this.verified.set(txid, indices)
    if (!indices.includes(index)) {
      indices.push(index)
      this.pairs++
    }
    // Oldest transactions out first, all their inputs at once.
    for (const [oldest, gone] of this.verified) {
      if (this.pairs <= this.capacity || oldest === txid) break
      this.verified.delete(oldest)
      this.pairs -= gone.length
    }
  }
}
