// Pure: when a routing entry is given up on. A node is forgotten after its second failed contact in a
// row, not its first (a loaded peer may miss one deadline, and forgetting a live successor breaks the
// ring until stabilization finds it again) and not never (a dead node must leave the table). A node
// forgotten stays suspect until it answers: learned again from a neighbour that has not noticed yet, it
// goes at its next failure instead of getting two fresh chances and being passed round meanwhile.
export const FORGET_AFTER_FAILURES = 2
/** Nodes whose failures are remembered at once; the longest-quiet are dropped first. */
export const MAX_TRACKED_NODES = 1024

export class ContactFailures {
  private readonly counts = new Map<string, number>()
  private readonly limit: number

  constructor (limit = FORGET_AFTER_FAILURES) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('a node is forgotten after at least one failure')
    this.limit = limit
  }

  /** Counts a failed contact with peer; true when the peer is to be forgotten. */
  failed (peer: string): boolean {
    const count = (this.counts.get(peer) ?? 0) + 1
    // Re-inserted so the map's order is least recently failed first: the one dropped past the bound.
    this.counts.delete(peer)
    this.counts.set(peer, count)
    if (this.counts.size > MAX_TRACKED_NODES) this.counts.delete(this.counts.keys().next().value!)
    return count >= this.limit
  }

  answered (peer: string): void {
    this.counts.delete(peer)
  }
}
