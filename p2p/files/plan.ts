// Which chunk goes to which provider: pure bookkeeping for one download. Each provider claims runs of
// missing chunks; a chunk is done once verified and written; a provider that fails gives its claims back.
import { Bitset } from './bitset.ts'

export class DownloadPlan {
  readonly chunkCount: number
  readonly have: Bitset
  private readonly claimedBy = new Map<number, string>()
  /** Where the next search for a missing chunk starts, so claims don't rescan the done prefix. */
  private cursor = 0

  constructor (chunkCount: number, have?: Bitset) {
    this.chunkCount = chunkCount
    this.have = have ?? new Bitset(chunkCount)
  }

  /** Up to max consecutive missing, unclaimed chunks for provider; empty when nothing is left to claim. */
  claim (provider: string, max: number): number[] {
    const run: number[] = []
    for (let i = this.cursor; i < this.chunkCount && run.length < max; i++) {
      const free = !this.have.has(i) && !this.claimedBy.has(i)
      if (free) {
        run.push(i)
      } else if (run.length > 0) {
        break
      } else if (i === this.cursor && this.have.has(i)) {
        this.cursor++
      }
    }
    for (const i of run) this.claimedBy.set(i, provider)
    return run
  }

  done (index: number): void {
    this.claimedBy.delete(index)
    this.have.set(index)
  }

  /** Gives back everything provider had claimed but not delivered. */
  release (provider: string): void {
    for (const [index, owner] of this.claimedBy) {
      if (owner === provider) {
        this.claimedBy.delete(index)
        if (index < this.cursor) this.cursor = index
      }
    }
  }

  get complete (): boolean {
    return this.have.full
  }

  get inFlight (): number {
    return this.claimedBy.size
  }
}
