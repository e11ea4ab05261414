// The peer's own published API contract (docs/API.md, "Peers"): status, dial, airplane mode, and the
// events of peers coming and going. Pure, so the renderer imports it as it is.
import { z } from 'zod'
import type { RoutingTableSummary } from '../dht/api.ts'
import type { Reachability as NodeReachability } from '../node/reachability.ts'

export interface PeerSummary {
  peerId: string
  addrs: string[]
  /** Last ping round trip in milliseconds, or null before the first. */
  latencyMs: number | null
  connected: boolean
}

/** GET /api/status */
export interface PeerStatus {
  peerId: string
  addrs: string[]
  network: string
  online: boolean
  peers: PeerSummary[]
  dht: RoutingTableSummary
  /** Whether others can dial this peer from the internet (AutoNAT), and on which confirmed addresses. */
  reachability: Reachability
  publicAddrs: string[]
}

export const Reachability = z.enum(['public', 'private', 'unknown']) satisfies z.ZodType<NodeReachability>
export type Reachability = z.infer<typeof Reachability>

/** POST /api/network */
export interface NetworkResult { online: boolean }

export const PeersEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('peer:connected'), peerId: z.string(), addrs: z.array(z.string()) }),
  z.object({ type: z.literal('peer:disconnected'), peerId: z.string() }),
  z.object({ type: z.literal('peer:latency'), peerId: z.string(), latencyMs: z.number().nonnegative() }),
  z.object({ type: z.literal('network'), online: z.boolean() }),
  z.object({ type: z.literal('reachability'), reachability: Reachability, publicAddrs: z.array(z.string()) })
])
export type PeersEvent = z.infer<typeof PeersEvent>

/** The codes the peers routes answer with (besides the API's own, ApiBaseErrorCode). */
export type { DialErrorCode as PeersErrorCode } from './errors.ts'
