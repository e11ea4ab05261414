// libp2p 3 no longer dials the peers it discovers; mDNS only reports them. Dial discovered peers (up to
// a cap) so laptops on one LAN connect with no bootstrap address and no internet. Attached before the
// node starts: a peer found during start-up is dialled as soon as the node is up, not at the next query.
// libp2p reports a peer as discovered only the first time its peer store sees it, so the LAN discovery's
// own reports are followed too: a neighbour known from an earlier run, back on a new port, is redialled.
import type { PeerInfo } from '@libp2p/interface'
import type { TidepoolNode } from './create-node.ts'
import type { NetworkSwitch } from './network-switch.ts'

export const DISCOVERY_DIAL_TIMEOUT_MS = 10_000
/** Beyond this many connected peers, discovery alone is no reason for another connection. */
export const DISCOVERY_MAX_PEERS = 64

export function dialDiscoveredPeers (node: TidepoolNode, networkSwitch: NetworkSwitch, log: (line: string) => void): () => void {
  const dialling = new Set<string>()
  /** Found while the node was starting: dialled once it has started. */
  const early = new Map<string, PeerInfo>()
  const dial = (peer: PeerInfo): void => {
    const key = peer.id.toString()
    if (!networkSwitch.online || peer.id.equals(node.peerId) || dialling.has(key)) return
    if (node.status !== 'started') { early.set(key, peer); return }
    if (node.getConnections(peer.id).length > 0 || node.getPeers().length >= DISCOVERY_MAX_PEERS) return
    dialling.add(key)
    // The addresses go to the peer store first: libp2p's own merge of a discovery may not have run yet.
    node.peerStore.merge(peer.id, { multiaddrs: peer.multiaddrs })
      .then(async () => await node.dial(peer.id, { signal: AbortSignal.timeout(DISCOVERY_DIAL_TIMEOUT_MS) }))
      .then(connection => { log(`connected to discovered peer ${key} at ${connection.remoteAddr.toString()}`) })
      .catch(err => { log(`discovered peer ${key} did not answer: ${(err as Error).message}`) })
      .finally(() => { dialling.delete(key) })
  }
  const onDiscovery = (event: CustomEvent<PeerInfo>): void => { dial(event.detail) }
  const onStart = (): void => {
    for (const peer of early.values()) dial(peer)
    early.clear()
  }
  node.addEventListener('peer:discovery', onDiscovery)
  node.services.lan?.addEventListener('peer', onDiscovery)
  node.addEventListener('start', onStart)
  return () => {
    node.removeEventListener('peer:discovery', onDiscovery)
    node.services.lan?.removeEventListener('peer', onDiscovery)
    node.removeEventListener('start', onStart)
  }
}
