// The DHT's routes the UI draws from: the ring and a lookup's trace, checked against the core's schemas.
import { checked, type ApiClient } from './client.ts'
import { LookupStats, RingResponse, type ProvidersResult } from '../../../p2p/dht/api.ts'

export function dhtApi (client: ApiClient) {
  return {
    ring: async (signal?: AbortSignal) => checked(RingResponse, await client.request<unknown>('GET', '/api/dht/ring', undefined, signal), 'GET /api/dht/ring'),
    providers: async (key: string, signal?: AbortSignal) => await client.request<ProvidersResult>('GET', `/api/dht/providers?key=${encodeURIComponent(key)}`, undefined, signal),
    lookup: async (key: string) => checked(LookupStats, await client.request<unknown>('POST', '/api/dht/lookup', { key }), 'POST /api/dht/lookup')
  }
}

export type DhtApi = ReturnType<typeof dhtApi>
