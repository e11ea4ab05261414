// How each connected peer is reached, for the API: direct or through a relay, and whether the direct
// connection came from a hole punch — it opened while we were talking through a relay (DCUtR's upgrade,
// or a WebRTC connection signalled over the relay). Logs each relayed connection's end and age: a relay
// cuts a connection at its time or byte limit.
import type { Connection, PeerId } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'
import { relaysIn } from './relay.ts'
import type { PeerSummary } from '../peers/api.ts'

export type ConnectionKind = Required<Pick<PeerSummary, 'connection'>> & Pick<PeerSummary, 'relay' | 'holePunched'>

/** libp2p's `direct` is false only for circuit connections; WebRTC signalled over a relay is direct. */
const relayed = (conn: Connection): boolean => !conn.direct

export class ConnectionKinds {
  private readonly punched = new Set<string>()

  private readonly node: Libp2p
  private readonly log: (line: string) => void

  constructor (node: Libp2p, log: (line: string) => void) {
    this.node = node
    this.log = log
  }

  start (): void {
    this.node.addEventListener('connection:open', this.onOpen)
    this.node.addEventListener('connection:close', this.onClose)
  }

  stop (): void {
    this.node.removeEventListener('connection:open', this.onOpen)
    this.node.removeEventListener('connection:close', this.onClose)
  }

  /** undefined when not connected; a direct connection wins over a relayed one. */
  of (peer: PeerId): ConnectionKind | undefined {
    const open = this.node.getConnections(peer).filter(c => c.status === 'open')
    const direct = open.find(c => !relayed(c))
    if (direct !== undefined) return this.punched.has(direct.id) ? { connection: 'direct', holePunched: true } : { connection: 'direct' }
    const via = open[0]
    if (via === undefined) return undefined
    const relay = [...relaysIn([via.remoteAddr]).keys()][0]
    return relay === undefined ? { connection: 'relayed' } : { connection: 'relayed', relay }
  }

  private readonly onOpen = (event: CustomEvent<Connection>): void => {
    const conn = event.detail
    if (relayed(conn)) return
    if (this.node.getConnections(conn.remotePeer).some(other => other.id !== conn.id && relayed(other))) this.punched.add(conn.id)
  }

  private readonly onClose = (event: CustomEvent<Connection>): void => {
    const conn = event.detail
    this.punched.delete(conn.id)
    if (!relayed(conn)) return
    const seconds = ((Date.now() - conn.timeline.open) / 1000).toFixed(1)
    this.log(`relayed connection to ${conn.remotePeer.toString()} through ${[...relaysIn([conn.remoteAddr]).keys()][0] ?? 'a relay'} closed after ${seconds} s`)
  }
}
