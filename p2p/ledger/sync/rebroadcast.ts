// Which transactions a reorg returned to the mempool to announce again, and when (pure; the clock is
// passed in). The peers that mined the winning branch may never have seen them, and catch-up would
// bring them only on its next round: like Bitcoin Core's rebroadcast of wallet transactions, each is
// announced once more, at a bounded rate so a deep reorg does not flood the topic.

/** Announcements a second, on average; up to this many at once after a pause. */
export const REBROADCAST_PER_SECOND = 20
/** An announcement that found no peer to take it is given up after this long. */
export const REBROADCAST_TTL_MS = 60_000
/** Transaction ids remembered as announced already, so each goes out once. */
const REMEMBERED = 10_000

/** An announcement that reached no peer (none subscribed yet) is tried again after this pause. */
export const REBROADCAST_RETRY_MS = 1000

export interface Announcement { id: string, since: number }
interface Waiting extends Announcement { due: number }

export class RebroadcastQueue {
  private waiting: Waiting[] = []
  /** Insertion-ordered, so the oldest are forgotten first. */
  private readonly announced = new Set<string>()
  private tokens = REBROADCAST_PER_SECOND
  private refilled: number

  constructor (now: number) {
    this.refilled = now
  }

  get size (): number {
    return this.waiting.length
  }

  /** Queues the ids not announced yet nor waiting already. */
  offer (ids: readonly string[], now: number): void {
    for (const id of ids) {
      if (this.announced.has(id) || this.waiting.some(w => w.id === id)) continue
      this.waiting.push({ id, since: now, due: now })
    }
  }

  /** What may go out now, oldest first, within the rate; expired ones are dropped. */
  take (now: number): Announcement[] {
    this.tokens = Math.min(REBROADCAST_PER_SECOND, this.tokens + (now - this.refilled) * REBROADCAST_PER_SECOND / 1000)
    this.refilled = now
    this.waiting = this.waiting.filter(w => now - w.since <= REBROADCAST_TTL_MS)
    const out: Announcement[] = []
    for (const w of this.waiting) {
      if (out.length >= Math.floor(this.tokens)) break
      if (w.due <= now) out.push({ id: w.id, since: w.since })
    }
    this.tokens -= out.length
    const taken = new Set(out.map(a => a.id))
    this.waiting = this.waiting.filter(w => !taken.has(w.id))
    return out
  }

  /** It reached peers: never again. */
  sent (id: string): void {
    this.announced.add(id)
    if (this.announced.size > REMEMBERED) this.announced.delete(this.announced.values().next().value!)
  }

  /** It reached no peer: it waits a little, then is tried again until it expires. */
  retry (announcement: Announcement, now: number): void {
    this.waiting.push({ ...announcement, due: now + REBROADCAST_RETRY_MS })
  }

  /** Milliseconds from `now` until take() can return something, or undefined when nothing waits. */
  delay (now: number): number | undefined {
    if (this.waiting.length === 0) return undefined
    const due = Math.max(0, Math.min(...this.waiting.map(w => w.due)) - now)
    const refill = this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * 1000 / REBROADCAST_PER_SECOND)
    return Math.max(due, refill)
  }
}
