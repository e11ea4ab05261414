// Which addresses we hand to the DHT and accept from it. kad-dht's default drops every private address,
// which would make a LAN (Tidepool's home ground) invisible; we keep LAN addresses, and a peer's loopback
// addresses only when that peer reached us over loopback — it lives on this host, so 127.0.0.1 means it.
// Several peers on one laptop thus form a DHT on any network name, while a remote peer's loopback
// addresses (which would point at our own host) stay out.
import type { Libp2pEvents, PeerId, PeerInfo, TypedEventTarget } from '@libp2p/interface'
import { isLoopback } from '@libp2p/utils'

/** Enough for every peer one host runs; the oldest is forgotten first, so a churning local process can't grow it. */
export const MAX_HOST_PEERS = 1024

export class HostPeers {
  private readonly peers = new Set<string>()
  private readonly self: PeerId

  constructor (self: PeerId) {
    this.self = self
  }

  /** Counts a peer as on this host once a connection with it runs over loopback. */
  watch (events: TypedEventTarget<Libp2pEvents>): void {
    events.addEventListener('connection:open', event => {
      if (isLoopback(event.detail.remoteAddr)) this.remember(event.detail.remotePeer.toString())
    })
  }

  isOnThisHost (peer: PeerId): boolean {
    return peer.equals(this.self) || this.peers.has(peer.toString())
  }

  /** kad-dht's peerInfoMapper: applied to peers entering the routing table and to peers we tell others about. */
  readonly mapper = (peer: PeerInfo): PeerInfo => {
    if (this.isOnThisHost(peer.id)) return peer
    return { ...peer, multiaddrs: peer.multiaddrs.filter(addr => !isLoopback(addr)) }
  }

  private remember (peer: string): void {
    this.peers.delete(peer)
    this.peers.add(peer)
    if (this.peers.size > MAX_HOST_PEERS) this.peers.delete(this.peers.values().next().value!)
  }
}
