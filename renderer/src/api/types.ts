// Shapes of the local API (docs/API.md): the core's own contracts, under the names the UI uses.
import type { PeerEvent } from '../../../p2p/events.ts'

export type { PeerSummary as PeerInfo, PeerSummary as DialResult, PeerStatus as Status } from '../../../p2p/peers/api.ts'
export type { RoutingBucket as DhtBucket, RoutingTableSummary as DhtStatus } from '../../../p2p/dht/api.ts'
export type { FileEntry, FileState } from '../../../p2p/files/api.ts'

/** Messages on the `/api/events` WebSocket: the core's own event union. */
export type { PeerEvent as TidepoolEvent } from '../../../p2p/events.ts'

export type TidepoolEventType = PeerEvent['type']
