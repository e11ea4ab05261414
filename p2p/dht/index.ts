// One DHT interface for files and calendar alike. Kademlia (kademlia/) and Chord (chord/) implement it;
// the network's `--dht` flag chooses which (fixed per network).
import type { AbortOptions, PeerInfo } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

export interface RoutingBucket {
  /** Bits our id shares with these peers' ids: bucket i holds XOR distances in [2^(255-i), 2^(256-i)). */
  commonPrefixLength: number
  peers: string[]
}

/** A node on the Chord ring: its peer id and its 160-bit id (SHA-1 of the peer id) in hex. */
export interface RingNode {
  peer: string
  id: string
}

export interface ChordRingSummary {
  self: RingNode
  predecessor: RingNode | null
  successors: RingNode[]
  /** Distinct fingers: finger `index` points at the successor of self + 2^index. */
  fingers: Array<RingNode & { index: number }>
}

export interface RoutingTableSummary {
  mode: 'client' | 'server'
  protocol: string
  routingTableSize: number
  /** Kademlia's k-buckets (empty on Chord). */
  buckets: RoutingBucket[]
  /** Chord's view of the ring (absent on Kademlia). */
  ring?: ChordRingSummary
}

/** A value put under a key, with the peer that put it. */
export interface DhtRecord {
  publisher: string
  value: string
}

/** How one lookup went. */
export interface LookupStats {
  key: string
  /** Where the key sits in the DHT's id space, hex. */
  target: string
  /**
   * Routing hops: nodes asked one after the other (Chord); on Kademlia, the longest chain of answers
   * (1 when the peers that answered were all known to the asker). `contacted` counts the work.
   */
  hops: number
  /** Peers sent a request in all. */
  contacted: number
  ms: number
  /** The nodes that answered, in order (Chord: each hop; Kademlia: the peers that responded). */
  path: Array<{ peer: string, id?: string }>
  /** The peers the lookup ended at: the key's successors (Chord) or closest peers (Kademlia). */
  found: Array<{ peer: string, id?: string }>
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
  readonly code = 'dht-timeout'
}

/** A lookup found no route to the key (every way on was dead), or no node took a record. */
export class DhtLookupError extends Error {
  override name = 'DhtLookupError'
  readonly code = 'lookup-failed'
}
