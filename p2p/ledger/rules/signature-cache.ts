// Signatures already found valid, so a transaction verified when it entered the mempool is not verified
// again when its block connects (nor when a reorg brings it back). Keyed by txid and input index: the
// txid commits to the whole transaction, unlocks included, so a key always names the same public key,
// signature and signed message. Only successes are kept; a bounded least-recently-used map.
// Pure: no I/O; the chain owns one and lends it to the mempool.

/** About 100 bytes an entry: a few megabytes at most. */
export const SIGNATURE_CACHE_ENTRIES = 50_000

export class SignatureCache {
  private readonly capacity: number
  /** Insertion order of a Map is the recency order: a hit is moved to the end. */
  private readonly verified = new Map<string, true>()
  /** Lookups that found their entry: each one a signature not verified again. */
  hits = 0

  constructor (capacity = SIGNATURE_CACHE_ENTRIES) {
    this.capacity = capacity
  }

  get size (): number {
    return this.verified.size
  }

  has (txid: string, index: number): boolean {
    const key = `${txid}:${index}`
    if (!this.verified.delete(key)) return false
    this.verified.set(key, true)
    this.hits++
    return true
  }

  add (txid: string, index: number): void {
    const key = `${txid}:${index}`
    this.verified.delete(key)
    this.verified.set(key, true)
    if (this.verified.size > this.capacity) this.verified.delete(this.verified.keys().next().value!)
  }
}
