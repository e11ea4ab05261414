// The peer's own HTTP face: its status, dialing a peer by address, airplane mode.
import { z } from 'zod'
import type { Route } from '../api/router.ts'
import { apiErrorsFrom, errorStatus, readJson } from '../api/http.ts'
import { DialError, type DialErrorCode } from './errors.ts'
import type { NetworkResult, PeerStatus, PeerSummary } from './api.ts'

/** What the routes drive (the running peer, p2p/peer.ts). */
export interface PeersFace {
  status: () => Promise<PeerStatus>
  dial: (addr: string) => Promise<PeerSummary>
  setOnline: (online: boolean) => Promise<void>
}

const DialRequest = z.object({ addr: z.string().min(1).max(1024) }).strict()
const NetworkRequest = z.object({ online: z.boolean() }).strict()

const DIAL_ERROR_STATUS: Record<DialErrorCode, number> = {
  'invalid-multiaddr': 400,
  'missing-peer-id': 400,
  'self-dial': 400,
  offline: 409,
  'wrong-network': 502,
  'dial-failed': 502
}

const asApiError = apiErrorsFrom(errorStatus(DialError, DIAL_ERROR_STATUS))

export function peersRoutes (peer: PeersFace): Route[] {
  return [
    { method: 'GET', path: '/api/status', handle: async () => await peer.status() },
    {
      method: 'POST',
      path: '/api/peers/dial',
      handle: async ({ req }) => {
        const { addr } = await readJson(req, DialRequest)
        return await asApiError(async () => await peer.dial(addr))
      }
    },
    {
      method: 'POST',
      path: '/api/network',
      handle: async ({ req }): Promise<NetworkResult> => {
        const { online } = await readJson(req, NetworkRequest)
        await peer.setOnline(online)
        return { online }
      }
    }
  ]
}
