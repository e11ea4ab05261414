// Shapes of the local API (docs/API.md). The renderer only reads these; the core owns them.
import type { PeerEvent } from '../../../p2p/events.ts'

export interface PeerInfo {
  peerId: string
  addrs: string[]
  /** Last ping round trip in milliseconds, or null before the first. */
  latencyMs: number | null
  connected: boolean
}

export interface DhtBucket {
  /** Bits our Kademlia id shares with the peers in this bucket (0 = farthest half of the key space). */
  commonPrefixLength: number
  peers: string[]
}

export interface DhtStatus {
  mode: 'server' | 'client' | string
  protocol: string
  routingTableSize: number
  buckets: DhtBucket[]
}

export interface Status {
  peerId: string
  addrs: string[]
  network: string
  online: boolean
  peers: PeerInfo[]
  dht: DhtStatus
}

export interface DialResult {
  peerId: string
  addrs: string[]
  latencyMs: number | null
  connected: true
}

export interface NetworkResult {
  online: boolean
}

export interface ProvideResult {
  cid: string
}

export interface ProvidersResult {
  cid: string
  providers: Array<{ peerId: string, addrs: string[] }>
}

export type { FileEntry, FileState } from '../../../p2p/files/api.ts'

/** Messages on the `/api/events` WebSocket: the core's own event union. */
export type { PeerEvent as TidepoolEvent } from '../../../p2p/events.ts'

export type TidepoolEventType = PeerEvent['type']
