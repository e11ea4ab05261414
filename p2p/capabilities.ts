// Every capability a peer runs, started in this order and stopped in reverse. Each gets the peer's
// event hub as a sink of its own events only.
import type { CapabilityFactory } from './capability.ts'
import type { PeerEvent } from './events.ts'
import { filesCapability } from './files/index.ts'
import { calendarCapability } from './calendar/index.ts'
import { ledgerCapability } from './ledger/index.ts'

export const CAPABILITIES: Array<CapabilityFactory<PeerEvent>> = [filesCapability, calendarCapability, ledgerCapability]
