// Hole punching between two peers behind NATs. js-libp2p's DCUtR cannot punch TCP on Node (an outgoing
// socket can't share the listen port, so the port the other side observes is not one we listen on) and
// its QUIC dials from a separate socket (p2p/reach/README.md). What works is WebRTC: once we have dialled
// a peer through a relay, we dial its `/p2p-circuit/webrtc` address — the SDP offer and ICE candidates go
// over the relay, our relays answer STUN, and ICE punches a UDP path through both NATs. When the direct
// connection is up the relayed one is closed, so every new stream (and any transfer it interrupted, on
// retry) takes the direct path. Behind a symmetric NAT the punch fails; the relay keeps carrying traffic.
import type { Connection, IdentifyResult, PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { TidepoolNode } from '../node/create-node.ts'

export const SIGNALING_PROTOCOL = '/webrtc-signaling/0.0.1'
export const PUNCH_TIMEOUT_MS = 20_000
/** After a failed punch, the same peer is tried again no sooner than this (doubling up to an hour). */
const RETRY_MIN_MS = 60_000
const RETRY_MAX_MS = 60 * 60_000
/** Streams on the relayed connection get this long to finish before it is closed under them. */
const CLOSE_GRACE_MS = 2_000

export class HolePuncher {
  private readonly node: TidepoolNode
  private readonly log: (line: string) => void
  private readonly trying = new Set<string>()
  private readonly notBefore = new Map<string, { at: number, waitMs: number }>()

  constructor (node: TidepoolNode, log: (line: string) => void) {
    this.node = node
    this.log = log
  }

  /** Inbound WebRTC connections not yet identified, with the timer that aborts them. */
  private readonly unproven = new Map<string, ReturnType<typeof setTimeout>>()

  start (): void {
    this.node.addEventListener('peer:identify', this.onIdentify)
    this.node.addEventListener('connection:open', this.onOpen)
    this.node.addEventListener('connection:close', this.onClose)
  }

  stop (): void {
    this.node.removeEventListener('peer:identify', this.onIdentify)
    this.node.removeEventListener('connection:open', this.onOpen)
    this.node.removeEventListener('connection:close', this.onClose)
    for (const timer of this.unproven.values()) clearTimeout(timer)
    this.unproven.clear()
  }

  /**
   * @libp2p/webrtc's answering side takes a signalling stream that ends before ICE connected (the relayed
   * connection cut by a relay's limit, or the dialler giving up behind a symmetric NAT) for success and
   * upgrades a peer connection that never connects; libp2p then dials that peer over it, and every stream
   * hangs. A real one identifies within moments, so one that hasn't by the punch timeout is aborted.
   */
  private readonly onOpen = (event: CustomEvent<Connection>): void => {
    const conn = event.detail
    if (conn.direction !== 'inbound' || !conn.remoteAddr.getComponents().some(c => c.name === 'webrtc')) return
    this.unproven.set(conn.id, setTimeout(() => {
      this.unproven.delete(conn.id)
      this.log(`hole punch from ${conn.remotePeer.toString()} never connected (no identify in ${PUNCH_TIMEOUT_MS / 1000} s): closing it`)
      conn.abort(new Error('WebRTC connection never connected'))
    }, PUNCH_TIMEOUT_MS))
  }

  private readonly onClose = (event: CustomEvent<Connection>): void => {
    clearTimeout(this.unproven.get(event.detail.id))
    this.unproven.delete(event.detail.id)
  }

  /** The dialling side of a relayed connection punches, so the two peers never race each other. */
  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    const { peerId, protocols, connection } = event.detail
    clearTimeout(this.unproven.get(connection.id))
    this.unproven.delete(connection.id)
    if (connection.direct || connection.direction !== 'outbound' || !protocols.includes(SIGNALING_PROTOCOL)) return
    const key = peerId.toString()
    if (this.trying.has(key)) return
    // Already punched (a relayed connection can be opened by a dial that started before the punch ended):
    // the direct one carries every new stream, so this one would only hold a relay slot.
    const direct = this.node.getConnections(peerId).find(c => c.direct && c.status === 'open')
    if (direct !== undefined) {
      this.log(`relayed connection to ${key} closed: a direct one is open (${direct.remoteAddr.toString()})`)
      void this.closeRelayed(connection)
      return
    }
    if ((this.notBefore.get(key)?.at ?? 0) > Date.now()) return
    this.trying.add(key)
    void this.punch(peerId, connection).finally(() => { this.trying.delete(key) })
  }

  private async closeRelayed (relayed: Connection): Promise<void> {
    await relayed.close({ signal: AbortSignal.timeout(CLOSE_GRACE_MS) }).catch(() => { relayed.abort(new Error('moved to a direct connection')) })
  }

  private async punch (peer: PeerId, relayed: Connection): Promise<void> {
    const key = peer.toString()
    const target = multiaddr(relayed.remoteAddr.toString().replace(/\/p2p-circuit\/p2p\//, '/p2p-circuit/webrtc/p2p/'))
    const started = Date.now()
    try {
      const direct = await this.node.services.reachTransports.dial(target, { signal: AbortSignal.timeout(PUNCH_TIMEOUT_MS) })
      this.notBefore.delete(key)
      this.log(`hole punched to ${key} in ${Date.now() - started} ms (WebRTC, ${direct.remoteAddr.toString()}); closing the relayed connection`)
      await this.closeRelayed(relayed)
    } catch (err) {
      const waitMs = Math.min((this.notBefore.get(key)?.waitMs ?? RETRY_MIN_MS / 2) * 2, RETRY_MAX_MS)
      this.notBefore.set(key, { at: Date.now() + waitMs, waitMs })
      this.log(`hole punch to ${key} failed after ${Date.now() - started} ms, staying relayed (next try in ${Math.round(waitMs / 1000)} s): ${(err as Error).message}`)
    }
  }
}
