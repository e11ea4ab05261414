// Every capability a peer runs, started in this order and stopped in reverse.
import type { CapabilityFactory } from './capability.ts'

export const CAPABILITIES: CapabilityFactory[] = []
