// libp2p's AutoNAT v2 asks a peer to dial our addresses back only when a connection to that peer opens.
// An address we gain later — a router's port mapping appears seconds after the bootstrap connections —
// then waits for the next new peer, which on a small network may never come. So while an address of ours
// awaits a verdict, open one fresh connection (libp2p's `force`) to a connected peer that runs AutoNAT:
// its identify makes AutoNAT ask that peer. Backoff from 20 s to 10 min between nudges; reset on a verdict.
import type { Connection, Libp2p } from '@libp2p/interface'
import type { ReachabilityStatus } from './reachability.ts'

export const AUTONAT_DIAL_REQUEST = '/libp2p/autonat/2/dial-request'
/** AutoNAT's own timeout for a dial-back is 30 s; the extra connection stays that long, then closes. */
const HOLD_MS = 35_000
const FIRST_BACKOFF_MS = 20_000
const MAX_BACKOFF_MS = 10 * 60_000
const CHECK_MS = 5_000

export function nudgeAutoNat (node: Libp2p, status: () => ReachabilityStatus): () => void {
  let backoff = FIRST_BACKOFF_MS
  let nextNudge = 0
  let turn = 0
  let stopped = false
  const held = new Set<Connection>()

  const helpers = async (): Promise<Connection[]> => {
    const connections = node.getConnections().filter(c => c.direction === 'outbound' && c.limits == null)
    const speaks = await Promise.all(connections.map(async c => await node.peerStore.get(c.remotePeer).then(p => p.protocols.includes(AUTONAT_DIAL_REQUEST), () => false)))
    return connections.filter((_, i) => speaks[i])
  }

  const check = async (): Promise<void> => {
    if (status().reachability !== 'unknown') {
      backoff = FIRST_BACKOFF_MS
      nextNudge = 0
      return
    }
    if (Date.now() < nextNudge) return
    const candidates = await helpers()
    if (candidates.length === 0) return
    const helper = candidates[turn++ % candidates.length]!
    nextNudge = Date.now() + backoff
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    const fresh = await node.dial(helper.remotePeer, { force: true, signal: AbortSignal.timeout(15_000) })
    held.add(fresh)
    setTimeout(() => { held.delete(fresh); void fresh.close().catch(() => {}) }, HOLD_MS).unref()
  }

  const timer = setInterval(() => {
    if (!stopped) check().catch(() => { /* the helper went away; the next round picks another */ })
  }, CHECK_MS)
  return () => {
    stopped = true
    clearInterval(timer)
    for (const connection of held) void connection.close().catch(() => {})
  }
}
