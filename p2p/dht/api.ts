// The DHT's published API contract (docs/API.md, "DHT"): zod schemas of what the routes answer and of
// its event, and the types the Dht interface (index.ts) reports in. Pure, so the renderer validates
// with these same schemas.
import { z } from 'zod'

const Count = z.number().int().nonnegative()
const HexId = z.string().regex(/^[0-9a-f]{40}$/)

export const RoutingBucket = z.object({
  /** Bits our id shares with these peers' ids: bucket i holds XOR distances in [2^(255-i), 2^(256-i)). */
  commonPrefixLength: Count,
  peers: z.array(z.string())
})
export type RoutingBucket = z.infer<typeof RoutingBucket>

/** A node on the Chord ring: its peer id and its 160-bit id (SHA-1 of the peer id) in hex. */
export const RingNode = z.object({ peer: z.string(), id: HexId })
export type RingNode = z.infer<typeof RingNode>

export const ChordRingSummary = z.object({
  self: RingNode,
  predecessor: RingNode.nullable(),
  successors: z.array(RingNode),
  /** Distinct fingers: finger `index` points at the successor of self + 2^index. */
  fingers: z.array(RingNode.extend({ index: Count }))
})
export type ChordRingSummary = z.infer<typeof ChordRingSummary>

/** GET /api/dht/ring */
export const RingResponse = z.object({
  kind: z.enum(['chord', 'kademlia']),
  protocol: z.string(),
  ring: ChordRingSummary.nullable(),
  buckets: z.array(RoutingBucket)
})
export type RingResponse = z.infer<typeof RingResponse>

const RoutedNode = z.object({ peer: z.string(), id: HexId.optional() })

/** How one lookup went (POST /api/dht/lookup). */
export const LookupStats = z.object({
  key: z.string(),
  /** Where the key sits in the DHT's id space, hex. */
  target: z.string(),
  /**
   * Routing hops: nodes asked one after the other (Chord); on Kademlia, the longest chain of answers
   * (1 when the peers that answered were all known to the asker). `contacted` counts the work.
   */
  hops: Count,
  /** Peers sent a request in all. */
  contacted: Count,
  ms: z.number().nonnegative(),
  /** The nodes that answered, in order (Chord: each hop; Kademlia: the peers that responded). */
  path: z.array(RoutedNode),
  /** The peers the lookup ended at: the key's successors (Chord) or closest peers (Kademlia). */
  found: z.array(RoutedNode)
})
export type LookupStats = z.infer<typeof LookupStats>

export interface RoutingTableSummary {
  mode: 'client' | 'server'
  protocol: string
  routingTableSize: number
  /** Kademlia's k-buckets (empty on Chord). */
  buckets: RoutingBucket[]
  /** Chord's view of the ring (absent on Kademlia). */
  ring?: ChordRingSummary
}

/** POST /api/dht/provide */
export interface ProvideResult { cid: string }

/** GET /api/dht/providers */
export interface ProvidersResult {
  cid: string
  providers: Array<{ peerId: string, addrs: string[] }>
}

export const DhtEvent = z.object({ type: z.literal('dht:routing-table'), size: Count })
export type DhtEvent = z.infer<typeof DhtEvent>

/** The codes the DHT routes answer with (besides the API's own, ApiBaseErrorCode). */
export type DhtErrorCode = 'dht-timeout' | 'lookup-failed'
