// The DHT's HTTP face: provide, find providers, the routing table or ring, a traced lookup.
import { z } from 'zod'
import type { PeerInfo } from '@libp2p/interface'
import type { Route } from '../api/router.ts'
import { apiErrorsFrom, errorStatus, readJson } from '../api/http.ts'
import { ApiError } from '../api/contract.ts'
import { DhtLookupError, DhtTimeoutError, type Dht } from './index.ts'
import type { ProvidersResult, RingResponse } from './api.ts'

/** What the routes drive: the DHT, and the peer's own provide/find (keys given as text or CIDs). */
export interface DhtFace {
  readonly dht: Dht
  provide: (key: string) => Promise<string>
  findProviders: (key: string) => Promise<{ cid: string, providers: PeerInfo[] }>
}

const Key = z.string().min(1).max(512)
const ProvideRequest = z.object({ key: Key }).strict()
const LookupRequest = z.object({ key: Key }).strict()

const asApiError = apiErrorsFrom(
  errorStatus(DhtTimeoutError, { 'dht-timeout': 504 }),
  errorStatus(DhtLookupError, { 'lookup-failed': 502 })
)

export function dhtRoutes (peer: DhtFace): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/dht/provide',
      handle: async ({ req }) => {
        const { key } = await readJson(req, ProvideRequest)
        return { cid: await asApiError(async () => await peer.provide(key)) }
      }
    },
    {
      method: 'GET',
      path: '/api/dht/providers',
      handle: async ({ url }): Promise<ProvidersResult> => {
        const key = Key.safeParse(url.searchParams.get('key') ?? '')
        if (!key.success) throw new ApiError(400, 'bad-request', 'key: give ?key=<cid or text> (1-512 characters)')
        const { cid, providers } = await asApiError(async () => await peer.findProviders(key.data))
        return {
          cid,
          providers: providers.map(p => ({ peerId: p.id.toString(), addrs: p.multiaddrs.map(a => a.toString()) }))
        }
      }
    },
    {
      method: 'GET',
      path: '/api/dht/ring',
      handle: async (): Promise<RingResponse> => {
        const summary = peer.dht.summary()
        return { kind: peer.dht.kind, protocol: summary.protocol, ring: summary.ring ?? null, buckets: summary.buckets }
      }
    },
    {
      method: 'POST',
      path: '/api/dht/lookup',
      handle: async ({ req }) => {
        const { key } = await readJson(req, LookupRequest)
        return await asApiError(async () => await peer.dht.lookup(key))
      }
    }
  ]
}
