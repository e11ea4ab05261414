// The calendar capability: Bayou replication of shared calendars between peers (see README.md).
import type { Capability, CapabilityFactory } from '../capability.ts'
import { calendarRoutes } from './routes.ts'
import { signerFromRawKey } from './bayou/signing.ts'
import { CalendarService } from './service.ts'
import { CalendarStore } from './store.ts'
import { calendarSyncProtocol, PREVIOUS_PROTOCOL_VERSIONS } from './sync/protocol.ts'
import type { CalendarEvent } from './api.ts'
import { CalDavHandler } from './caldav/handler.ts'
import { CalDavNames } from './caldav/names.ts'
import { SyncTokens } from './caldav/sync-tokens.ts'

export const calendarCapability: CapabilityFactory<CalendarEvent> = async (ctx): Promise<Capability> => {
  if (ctx.privateKey.type !== 'Ed25519') throw new Error(`the calendar signs writes with Ed25519; this peer's key is ${ctx.privateKey.type}`)
  const protocol = calendarSyncProtocol(ctx.config.network)
  const service = new CalendarService({
    store: new CalendarStore(ctx.db),
    node: ctx.node,
    events: ctx.events,
    signer: signerFromRawKey(ctx.privateKey.raw),
    protocol,
    previousProtocols: PREVIOUS_PROTOCOL_VERSIONS.map(version => ({ version, protocol: calendarSyncProtocol(ctx.config.network, version) })),
    log: line => { ctx.logger.info(line) },
    streamFailed: (peer, err) => { ctx.conduct.streamFailed(peer, protocol, err) }
  })
  await service.start()
  const names = new CalDavNames(ctx.db)
  await names.load()
  const tokens = new SyncTokens(ctx.db)
  await tokens.load()
  return { name: 'calendar', routes: calendarRoutes(service), mounts: new CalDavHandler(service, names, tokens).mounts(), stop: async () => { await service.stop() } }
}
