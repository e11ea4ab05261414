// libp2p 3 no longer dials the peers it discovers; mDNS only reports them. Dial newly discovered peers
// (up to a cap) so laptops on one LAN connect with no bootstrap address and no internet.
import type { PeerId, PeerInfo } from '@libp2p/interface'
import type { TidepoolNode } from './create-node.ts'
import type { NetworkSwitch } from './network-switch.ts'

export const DISCOVERY_DIAL_TIMEOUT_MS = 10_000
/** Beyond this many connected peers, discovery alone is no reason for another connection. */
export const DISCOVERY_MAX_PEERS = 64

export function dialDiscoveredPeers (node: TidepoolNode, networkSwitch: NetworkSwitch, log: (line: string) => void): () => void {
  const dialling = new Set<string>()
  const onDiscovery = (event: CustomEvent<PeerInfo>): void => {
    const peer: PeerId = event.detail.id
    const key = peer.toString()
    if (!networkSwitch.online || peer.equals(node.peerId) || dialling.has(key)) return
    if (node.getConnections(peer).length > 0 || node.getPeers().length >= DISCOVERY_MAX_PEERS) return
    dialling.add(key)
    node.dial(peer, { signal: AbortSignal.timeout(DISCOVERY_DIAL_TIMEOUT_MS) })
      .catch(err => { log(`discovered peer ${key} did not answer: ${(err as Error).message}`) })
      .finally(() => { dialling.delete(key) })
  }
  node.addEventListener('peer:discovery', onDiscovery)
  return () => { node.removeEventListener('peer:discovery', onDiscovery) }
}
