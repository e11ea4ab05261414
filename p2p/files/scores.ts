// How much we trust each provider, across downloads: verified chunks raise a score, a lie sinks it.
export const BAD_CHUNK_PENALTY = 1000
export const FAILURE_PENALTY = 10

export class ProviderScores {
  private readonly scores = new Map<string, number>()

  get (peer: string): number {
    return this.scores.get(peer) ?? 0
  }

  goodChunk (peer: string): void {
    this.scores.set(peer, this.get(peer) + 1)
  }

  badChunk (peer: string): void {
    this.scores.set(peer, this.get(peer) - BAD_CHUNK_PENALTY)
  }

  failed (peer: string): void {
    this.scores.set(peer, this.get(peer) - FAILURE_PENALTY)
  }

  /** Best first; unknown peers (0) ahead of ones that failed us. */
  rank (peers: string[]): string[] {
    return [...peers].sort((a, b) => this.get(b) - this.get(a))
  }
}
