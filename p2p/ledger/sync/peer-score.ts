// Misbehaviour per peer: each refused block or transaction adds its rule's ban score; at 100 the
// peer is disconnected and its gossip refused for a while.
export const BAN_THRESHOLD = 100
export const BAN_MS = 10 * 60_000

export class PeerScores {
  private readonly scores = new Map<string, number>()
  private readonly bannedUntil = new Map<string, number>()
  private readonly now: () => number

  constructor (now: () => number = Date.now) {
    this.now = now
  }

  /** Adds to the peer's score; true when this crosses the threshold (the caller disconnects it). */
  penalize (peerId: string, score: number): boolean {
    if (score <= 0) return false
    const total = (this.scores.get(peerId) ?? 0) + score
    this.scores.set(peerId, total)
    if (total < BAN_THRESHOLD) return false
    this.scores.delete(peerId)
    this.bannedUntil.set(peerId, this.now() + BAN_MS)
    return true
  }

  isBanned (peerId: string): boolean {
    const until = this.bannedUntil.get(peerId)
    if (until === undefined) return false
    if (until > this.now()) return true
    this.bannedUntil.delete(peerId)
    return false
  }

  score (peerId: string): number {
    return this.scores.get(peerId) ?? 0
  }
}
