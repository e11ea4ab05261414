// How remote peers behave towards every protocol this peer serves, in one place: a malformed frame, an
// oversized claim or a stream opened only to stall lowers the sender's one shared score (node/peer-score.ts),
// whichever protocol it hit; at the ban threshold the peer is hung up on, and hung up on again whenever it
// reconnects until the ban runs out. Each fault is logged, but at most one line per peer per minute plus a
// summary of the rest, so garbage costs its sender its standing and costs us no log space.
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { WireError, type WireErrorCode } from '../wire/index.ts'
import type { PeerScores } from './peer-score.ts'

/** What each kind of protocol fault adds to the sender's score (a ban at 100). A closed stream is no fault. */
export const FAULT_SCORES: Readonly<Record<WireErrorCode, number>> = {
  malformed: 20,
  invalid: 20,
  'too-large': 20,
  timeout: 10,
  closed: 0
}
export const FAULT_LOG_WINDOW_MS = 60_000

/** The node's side of it: hang up on a peer, hear of new connections. */
export interface ConductNode {
  hangUp: (peer: PeerId) => Promise<void>
  addEventListener: (type: 'peer:connect', listener: (event: CustomEvent<PeerId>) => void) => void
  removeEventListener: (type: 'peer:connect', listener: (event: CustomEvent<PeerId>) => void) => void
}

interface LogWindow { start: number, suppressed: number }

export class PeerConduct {
  readonly scores: PeerScores
  private readonly node: ConductNode
  private readonly log: (line: string) => void
  private readonly now: () => number
  private readonly windows = new Map<string, LogWindow>()
  private flusher: NodeJS.Timeout | undefined
  private readonly onConnect = (event: CustomEvent<PeerId>): void => {
    if (this.scores.isBanned(event.detail.toString())) void this.node.hangUp(event.detail).catch(() => {})
  }

  constructor (node: ConductNode, scores: PeerScores, log: (line: string) => void, now: () => number = Date.now) {
    this.node = node
    this.scores = scores
    this.log = log
    this.now = now
  }

  start (): void {
    this.node.addEventListener('peer:connect', this.onConnect)
    this.flusher = setInterval(() => { this.flush(false) }, FAULT_LOG_WINDOW_MS)
    this.flusher.unref()
  }

  stop (): void {
    this.node.removeEventListener('peer:connect', this.onConnect)
    clearInterval(this.flusher)
    this.flush(true)
  }

  isBanned (peer: PeerId | string): boolean {
    return this.scores.isBanned(peer.toString())
  }

  /**
   * A stream `peer` opened to `protocol` ended in `err` on our serving side. Its faults (see FAULT_SCORES)
   * are scored; anything else (our own disk, a refusal by the protocol's rules) is only logged.
   */
  streamFailed (peer: PeerId | string, protocol: string, err: Error): void {
    if (err instanceof WireError && err.code === 'closed') return
    const id = peer.toString()
    this.note(id, `${protocol} stream from ${id} failed: ${err.message}`)
    const score = err instanceof WireError ? FAULT_SCORES[err.code] : 0
    if (score > 0) void this.penalize(id, score, `${err instanceof WireError ? err.code : 'fault'} on ${protocol}`)
  }

  /** Adds to `peer`'s score; at the threshold it is banned (on disk) and hung up on. Resolves true then. */
  async penalize (peer: PeerId | string, score: number, reason: string): Promise<boolean> {
    const id = peer.toString()
    let banned: boolean
    try {
      banned = await this.scores.penalize(id, score)
    } catch (err) {
      this.log(`peer conduct: writing a ban of ${id} failed: ${(err as Error).message}`)
      banned = this.scores.isBanned(id)
    }
    if (banned) {
      this.log(`peer conduct: ${id} banned (ban score reached, last: ${reason}); disconnecting`)
      await this.node.hangUp(typeof peer === 'string' ? peerIdFromString(peer) : peer).catch(() => {})
    }
    return banned
  }

  /** The first line of a peer's minute is written; the rest are counted and summed up when it ends. */
  private note (peer: string, line: string): void {
    const now = this.now()
    const window = this.windows.get(peer)
    if (window !== undefined && now - window.start < FAULT_LOG_WINDOW_MS) {
      window.suppressed++
      return
    }
    if (window !== undefined) this.summarize(peer, window)
    this.windows.set(peer, { start: now, suppressed: 0 })
    this.log(line)
  }

  private summarize (peer: string, window: LogWindow): void {
    if (window.suppressed > 0) this.log(`peer conduct: ${window.suppressed} more failed streams from ${peer} in the last minute (score now ${this.scores.score(peer)})`)
  }

  private flush (all: boolean): void {
    const now = this.now()
    for (const [peer, window] of this.windows) {
      if (!all && now - window.start < FAULT_LOG_WINDOW_MS) continue
      this.summarize(peer, window)
      this.windows.delete(peer)
    }
  }
}
