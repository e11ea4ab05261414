// Signatures already found valid, so a transaction verified when it entered the mempool is not verified
// again when its block connects (nor when a reorg brings it back). Keyed by txid and input index: the
// txid commits to the whole transaction, unlocks included, so a key always names the same public key,
// signature and signed message. Only successes are kept; a bounded least-recently-used map.
// Pure: no I/O; the chain owns one and lends it to the mempool.
import { BoundedCache } from './bounded-cache.ts'

/** About 100 bytes an entry: a few megabytes at most. */
export const SIGNATURE_CACHE_ENTRIES = 50_000

export class SignatureCache {
  /** Verified input indices by txid (the txid string itself is the key: hashed once, not a string built per lookup), weighed by their count. */
  private readonly verified: BoundedCache<string, number[]>
  /** Lookups that found their entry: each one a signature not verified again. */
  hits = 0

  constructor (capacity = SIGNATURE_CACHE_ENTRIES) {
    this.verified = new BoundedCache(capacity)
  }

  /** (txid, input) pairs kept. */
  get size (): number {
    return this.verified.size
  }

  has (txid: string, index: number): boolean {
    if (this.verified.get(txid)?.includes(index) !== true) return false
    this.hits++
    return true
  }

  /** A transaction leaves with all its inputs, least recently used first. */
  add (txid: string, index: number): void {
    const indices = this.verified.get(txid) ?? []
    if (!indices.includes(index)) indices.push(index)
    this.verified.set(txid, indices, indices.length)
  }
}
