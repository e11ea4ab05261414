import { z } from 'zod'
import type { Route } from '../router.ts'
import { readJson } from '../http.ts'
import type { TidepoolPeer } from '../../peer.ts'

const NetworkRequest = z.object({ online: z.boolean() }).strict()

export function networkRoutes (peer: TidepoolPeer): Route[] {
  return [{
    method: 'POST',
    path: '/api/network',
    handle: async ({ req }) => {
      const { online } = await readJson(req, NetworkRequest)
      await peer.setOnline(online)
      return { online }
    }
  }]
}
