// Every capability a peer runs, started in this order and stopped in reverse.
import type { CapabilityFactory } from './capability.ts'
import { filesCapability } from './files/index.ts'
import { calendarCapability } from './calendar/index.ts'
import { ledgerCapability } from './ledger/index.ts'

export const CAPABILITIES: CapabilityFactory[] = [filesCapability, calendarCapability, ledgerCapability]
