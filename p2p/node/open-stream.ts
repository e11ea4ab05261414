// Opens a protocol stream to a peer on the best connection we have: a direct one if there is any, else a
// relayed one. libp2p's own dialProtocol skips relayed (limited) connections and would dial yet another
// one; Tidepool's protocols all run within a relay's limits, so they take the relayed connection, and a
// new stream moves to the direct connection as soon as a hole punch makes one.
import type { AbortOptions, PeerId, Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

export async function openStream (node: Libp2p, peer: PeerId, protocol: string, options: AbortOptions): Promise<Stream> {
  const open = node.getConnections(peer).filter(c => c.status === 'open')
  const best = open.find(c => c.direct) ?? open[0]
  if (best !== undefined) return await best.newStream(protocol, { ...options, runOnLimitedConnection: true })
  return await node.dialProtocol(peer, protocol, { ...options, runOnLimitedConnection: true })
}

/** Handler options for a Tidepool protocol that also serves relayed (limited) connections. */
export const ON_RELAYED = { runOnLimitedConnection: true } as const
