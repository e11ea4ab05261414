// Misbehaviour per peer, one score shared by every protocol: a refused block or transaction adds its
// rule's ban score, a malformed, oversized or stalled stream to any serving side adds its fault's. At 100
// the peer is disconnected and refused for a while. Bans are written to disk, so a restart doesn't let a
// peer that just sent invalid data straight back in; scores below the threshold are not, and they fade
// (a point a minute), so an honest peer's rare timeout never adds up to a ban.
import type { AbstractSublevel } from 'abstract-level'

export const BAN_THRESHOLD = 100
export const BAN_MS = 10 * 60_000
/** A score loses one point per this long. */
export const SCORE_DECAY_MS = 60_000

/** Where bans outlive the process: peer id → banned until (ms since the epoch). */
export interface BanStore {
  load: () => Promise<Array<[peerId: string, until: number]>>
  save: (peerId: string, until: number) => Promise<void>
  remove: (peerId: string) => Promise<void>
}

/** Bans in a sublevel of the app database, under `ban!<peer id>`. */
export function levelBanStore (db: AbstractSublevel<any, any, string, Uint8Array>): BanStore {
  const prefix = 'ban!'
  return {
    load: async () => {
      const bans: Array<[string, number]> = []
      for await (const [k, value] of db.iterator({ gte: prefix, lt: prefix + '\xff' })) {
        bans.push([k.slice(prefix.length), Number(new TextDecoder().decode(value))])
      }
      return bans
    },
    save: async (peerId, until) => { await db.put(prefix + peerId, new TextEncoder().encode(String(until))) },
    remove: async (peerId) => { await db.del(prefix + peerId) }
  }
}

export class PeerScores {
  private readonly scores = new Map<string, { score: number, at: number }>()
  private readonly bannedUntil = new Map<string, number>()
  private readonly now: () => number
  private readonly store: BanStore | undefined

  constructor (now: () => number = Date.now, store?: BanStore) {
    this.now = now
    this.store = store
  }

  /** Scores whose bans are kept in `store`, starting with the bans it holds that haven't run out. */
  static async open (store: BanStore, now: () => number = Date.now): Promise<PeerScores> {
    const scores = new PeerScores(now, store)
    for (const [peerId, until] of await store.load()) {
      if (until > now()) scores.bannedUntil.set(peerId, until)
      else await store.remove(peerId)
    }
    return scores
  }

  /**
   * Adds to the peer's score; resolves true when this crosses the threshold (the caller disconnects
   * it). The ban holds at once; the promise settles when it is on disk.
   */
  async penalize (peerId: string, score: number): Promise<boolean> {
    if (score <= 0) return false
    const total = this.score(peerId) + score
    this.scores.set(peerId, { score: total, at: this.now() })
    if (total < BAN_THRESHOLD) return false
    this.scores.delete(peerId)
    const until = this.now() + BAN_MS
    this.bannedUntil.set(peerId, until)
    await this.store?.save(peerId, until)
    return true
  }

  isBanned (peerId: string): boolean {
    const until = this.bannedUntil.get(peerId)
    if (until === undefined) return false
    if (until > this.now()) return true
    this.bannedUntil.delete(peerId)
    void this.store?.remove(peerId).catch(() => {})
    return false
  }

  score (peerId: string): number {
    const entry = this.scores.get(peerId)
    if (entry === undefined) return 0
    const faded = entry.score - Math.floor((this.now() - entry.at) / SCORE_DECAY_MS)
    if (faded > 0) return faded
    this.scores.delete(peerId)
    return 0
  }
}
