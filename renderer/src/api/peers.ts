// The peer's own routes: status, dial, airplane mode.
import type { ApiClient } from './client.ts'
import type { NetworkResult, PeerStatus, PeerSummary } from '../../../p2p/peers/api.ts'

export function peersApi (client: ApiClient) {
  return {
    status: async (signal?: AbortSignal) => await client.request<PeerStatus>('GET', '/api/status', undefined, signal),
    dial: async (addr: string, signal?: AbortSignal) => await client.request<PeerSummary>('POST', '/api/peers/dial', { addr }, signal),
    setOnline: async (online: boolean, signal?: AbortSignal) => await client.request<NetworkResult>('POST', '/api/network', { online }, signal)
  }
}

export type PeersApi = ReturnType<typeof peersApi>
