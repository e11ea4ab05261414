// What a running peer tells its listeners (the API's event stream, the Electron shell, tests): the
// union of the events each part declares in its published API module. The schema is what the
// renderer validates every message with.
import { z } from 'zod'
import { EventHub } from './event-hub.ts'
import { PeersEvent } from './peers/api.ts'
import { DhtEvent } from './dht/api.ts'
import { FilesEvent } from './files/api.ts'
import { CalendarEvent } from './calendar/api.ts'
import { LedgerEvent } from './ledger/api.ts'

export const PeerEvent = z.union([PeersEvent, DhtEvent, FilesEvent, CalendarEvent, LedgerEvent])
export type PeerEvent = z.infer<typeof PeerEvent>

export type PeerEventListener = (event: PeerEvent) => void

export class PeerEvents extends EventHub<PeerEvent> {}
