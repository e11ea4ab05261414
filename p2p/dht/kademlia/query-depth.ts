// Pure: how deep an iterative Kademlia query went, comparable to Chord's hops. kad-dht asks many peers
// at once, so "peers that answered" says how much work a lookup did, not how long its chain was. A peer
// the asker knew itself is at depth 1; a peer first named by an answer from depth d is at depth d + 1.
// The query's hops are the deepest depth among the peers that answered.
export class QueryDepth {
  private readonly depths = new Map<string, number>()
  private deepest = 0

  /** The query sent a request to peer (if nobody named it, the asker knew it: depth 1). */
  asked (peer: string): void {
    if (!this.depths.has(peer)) this.depths.set(peer, 1)
  }

  /** peer answered, naming closer peers. */
  answered (peer: string, closer: readonly string[]): void {
    const depth = this.depths.get(peer) ?? 1
    this.deepest = Math.max(this.deepest, depth)
    for (const next of closer) if (!this.depths.has(next)) this.depths.set(next, depth + 1)
  }

  get hops (): number {
    return this.deepest
  }
}
