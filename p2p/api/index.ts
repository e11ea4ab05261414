// Every route: the peer's own, then each capability's (p2p/capabilities.ts).
import type { Route } from './router.ts'
import type { TidepoolPeer } from '../peer.ts'
import { peerRoutes } from './routes/peers.ts'
import { networkRoutes } from './routes/network.ts'
import { dhtRoutes } from './routes/dht.ts'

export function allRoutes (peer: TidepoolPeer): Route[] {
  return [...peerRoutes(peer), ...networkRoutes(peer), ...dhtRoutes(peer), ...peer.capabilities.flatMap(c => c.routes)]
}
