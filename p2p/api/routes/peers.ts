import { z } from 'zod'
import type { Route } from '../router.ts'
import { ApiError, readJson } from '../http.ts'
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

export function peerRoutes (peer: TidepoolPeer): Route[] {
  return [
    { method: 'GET', path: '/api/status', handle: async () => await peer.status() },
    {
      method: 'POST',
      path: '/api/peers/dial',
      handle: async ({ req }) => {
        const { addr } = await readJson(req, DialRequest)
        try {
          return await peer.dial(addr)
        } catch (err) {
          if (err instanceof DialError) throw new ApiError(DIAL_ERROR_STATUS[err.code], err.code, err.message)
          throw err
        }
      }
    }
  ]
}
