// Every capability's routes, in one list. Later issues add theirs here.
import type { Route } from './router.ts'
import type { TidepoolPeer } from '../peer.ts'
import { peerRoutes } from './routes/peers.ts'
import { networkRoutes } from './routes/network.ts'
import { dhtRoutes } from './routes/dht.ts'

export function allRoutes (peer: TidepoolPeer): Route[] {
  return [...peerRoutes(peer), ...networkRoutes(peer), ...dhtRoutes(peer)]
}
