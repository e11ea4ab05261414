// How streams of one protocol end, seen from a stream middleware: libp2p has no event for a stream
// opened or served by a protocol implementation we don't own (Kademlia's serving side, the relay's STOP
// streams), but a middleware on the protocol sees each one as it opens (middleware-copies.ts keeps that
// safe on libp2p 3.3.11).
import type { Connection, StreamCloseEvent, StreamMiddleware } from '@libp2p/interface'

export interface MiddlewareNode {
  use: (protocol: string, middleware: StreamMiddleware) => void
  unuse: (protocol: string) => void
}

/**
 * Calls `ended` when each `direction` stream of `protocol` closes, with its close event, its connection
 * and when it opened; returns how to stop watching.
 */
export function watchStreamEnds (node: MiddlewareNode, protocol: string, direction: 'inbound' | 'outbound', ended: (event: StreamCloseEvent, connection: Connection, openedAt: number) => void): () => void {
  node.use(protocol, (stream, connection, next) => {
    if (stream.direction === direction) {
      const openedAt = Date.now()
      stream.addEventListener('close', event => { ended(event as StreamCloseEvent, connection, openedAt) }, { once: true })
    }
    next(stream, connection)
  })
  return () => { node.unuse(protocol) }
}
