// libp2p's Kademlia serves its protocol itself and tells no one when a peer misbehaves: it aborts the
// stream on a frame it cannot decode or a message its handlers refuse, and logs at debug level. A stream
// middleware on the protocol sees each inbound stream end; one our side aborted for one of those reasons
// is the sender's fault, scored as any other protocol's (node/peer-conduct.ts). A timeout is not: kad-dht
// keeps a stream open after each answer for the asker's next message and aborts it when none comes, so
// an honest peer's streams end that way all the time, and a stall looks the same. Anything else (our own
// store failing, a shutdown) is no one's fault and is not reported.
import type { PeerId } from '@libp2p/interface'
import { WireError } from '../../wire/index.ts'
import { watchStreamEnds, type MiddlewareNode } from '../../node/stream-ends.ts'

/** kad-dht's and its decoders' errors that mean the peer sent something broken (protons throws RangeError). */
const MALFORMED = new Set(['RangeError', 'InvalidMessageError', 'InvalidRecordError', 'InvalidParametersError', 'InvalidDataLengthError', 'InvalidDataLengthLengthError'])

/** The fault behind an inbound Kademlia stream our side aborted with `err`, if it is the peer's. */
export function kademliaFault (err: Error): WireError | undefined {
  if (MALFORMED.has(err.name)) return new WireError('malformed', `Kademlia: ${err.message}`)
  return undefined
}

/** Reports the peer's faults on inbound `protocol` streams to `failed`; returns how to stop. */
export function watchKademliaStreams (node: MiddlewareNode, protocol: string, failed: (peer: PeerId, err: WireError) => void): () => void {
  return watchStreamEnds(node, protocol, 'inbound', (event, connection) => {
    const fault = event.local === true && event.error !== undefined ? kademliaFault(event.error) : undefined
    if (fault !== undefined) failed(connection.remotePeer, fault)
  })
}
