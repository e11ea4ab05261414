// Pure: when a routing entry is given up on. A node is forgotten after its second failed contact in a
// row, not its first (a loaded peer may miss one deadline, and forgetting a live successor breaks the
// ring until stabilization finds it again) and not never (a dead node must leave the table). Any answer
// clears its count.
export const FORGET_AFTER_FAILURES = 2

export class ContactFailures {
  private readonly counts = new Map<string, number>()
  private readonly limit: number

  constructor (limit = FORGET_AFTER_FAILURES) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('a node is forgotten after at least one failure')
    this.limit = limit
  }

  /** Counts a failed contact with peer; true when that makes it one too many and the peer is to be forgotten. */
  failed (peer: string): boolean {
    const count = (this.counts.get(peer) ?? 0) + 1
    if (count < this.limit) {
      this.counts.set(peer, count)
      return false
    }
    this.counts.delete(peer)
    return true
  }

  answered (peer: string): void {
    this.counts.delete(peer)
  }
}
