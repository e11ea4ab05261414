// Shapes of the local API (docs/API.md). The renderer only reads these; the core owns them.

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

/** Messages on the `/api/events` WebSocket. */
export type TidepoolEvent =
  | { type: 'peer:connected', peerId: string, addrs: string[] }
  | { type: 'peer:disconnected', peerId: string }
  | { type: 'peer:latency', peerId: string, latencyMs: number }
  | { type: 'dht:routing-table', size: number }
  | { type: 'network', online: boolean }

export type TidepoolEventType = TidepoolEvent['type']
