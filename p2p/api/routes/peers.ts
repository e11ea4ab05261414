import { z } from 'zod'
import type { Route } from '../router.ts'
import { apiErrorsFrom, errorStatus, readJson } from '../http.ts'
import { DialError, type DialErrorCode, type TidepoolPeer } from '../../peer.ts'

const DialRequest = z.object({ addr: z.string().min(1).max(1024) }).strict()

const DIAL_ERROR_STATUS: Record<DialErrorCode, number> = {
  'invalid-multiaddr': 400,
  'missing-peer-id': 400,
  'self-dial': 400,
  offline: 409,
  'wrong-network': 502,
  'dial-failed': 502
}

const asApiError = apiErrorsFrom(errorStatus(DialError, DIAL_ERROR_STATUS))

export function peerRoutes (peer: TidepoolPeer): Route[] {
  return [
    { method: 'GET', path: '/api/status', handle: async () => await peer.status() },
    {
      method: 'POST',
      path: '/api/peers/dial',
      handle: async ({ req }) => {
        const { addr } = await readJson(req, DialRequest)
        return await asApiError(async () => await peer.dial(addr))
      }
    }
  ]
}
