// One DHT interface for files and calendar alike. Kademlia (kademlia/) implements it today;
// Chord (chord/) will implement the same interface.
import type { AbortOptions, PeerInfo } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

export interface RoutingBucket {
  /** Bits our id shares with these peers' ids: bucket i holds XOR distances in [2^(255-i), 2^(256-i)). */
  commonPrefixLength: number
  peers: string[]
}

export interface RoutingTableSummary {
  mode: 'client' | 'server'
  protocol: string
  routingTableSize: number
  buckets: RoutingBucket[]
}

export interface Dht {
  readonly kind: 'kademlia'
  /** Announce this peer as a provider of key. */
  provide: (key: CID, options?: AbortOptions) => Promise<void>
  /** Peers that announced key, at most `limit`. */
  findProviders: (key: CID, options?: AbortOptions & { limit?: number }) => Promise<PeerInfo[]>
  summary: () => RoutingTableSummary
  /** Called with the routing table's size whenever a peer enters or leaves it; returns unsubscribe. */
  onRoutingTableChange: (listener: (size: number) => void) => () => void
}

export class DhtTimeoutError extends Error {
  override name = 'DhtTimeoutError'
}
