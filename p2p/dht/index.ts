// One DHT interface for files and calendar alike. Kademlia (kademlia/) and Chord (chord/) implement it;
// the network's `--dht` flag chooses which (fixed per network).
import type { AbortOptions, PeerInfo } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { DhtErrorCode, LookupStats, RoutingTableSummary } from './api.ts'

export type { ChordRingSummary, LookupStats, RingNode, RoutingBucket, RoutingTableSummary } from './api.ts'

/** A value put under a key, with the peer that put it. */
export interface DhtRecord {
  publisher: string
  value: string
}

export interface Dht {
  readonly kind: 'kademlia' | 'chord'
  /** Announce this peer as a provider of key. */
  provide: (key: CID, options?: AbortOptions) => Promise<void>
  /** Peers that announced key, at most `limit`. */
  findProviders: (key: CID, options?: AbortOptions & { limit?: number }) => Promise<PeerInfo[]>
  /** Store value under key as this peer's record (one per publisher on Chord; Kademlia keeps the latest). */
  put: (key: string, value: string, options?: AbortOptions) => Promise<void>
  /** The records stored under key, empty when there are none. */
  get: (key: string, options?: AbortOptions) => Promise<DhtRecord[]>
  /** Where a peer can be reached, if the DHT can find it. */
  findPeer: (peerId: string, options?: AbortOptions) => Promise<PeerInfo | undefined>
  /** Route to key and report the route: hops, peers contacted, time. */
  lookup: (key: string, options?: AbortOptions) => Promise<LookupStats>
  summary: () => RoutingTableSummary
  /** Called with the routing table's size whenever a peer enters or leaves it; returns unsubscribe. */
  onRoutingTableChange: (listener: (size: number) => void) => () => void
}

export class DhtTimeoutError extends Error {
  override name = 'DhtTimeoutError'
  readonly code = 'dht-timeout' satisfies DhtErrorCode
}

/** A lookup found no route to the key (every way on was dead), or no node took a record. */
export class DhtLookupError extends Error {
  override name = 'DhtLookupError'
  readonly code = 'lookup-failed' satisfies DhtErrorCode
}
