// The files capability: share a file by content id, find providers through ctx.dht, download verified.
import type { PeerId } from '@libp2p/interface'
import type { Capability, CapabilityFactory } from '../capability.ts'
import { filesRoutes } from './routes.ts'
import { FileStore } from './store.ts'
import { FilesService } from './service.ts'
import { filesHandler } from './server.ts'
import { filesProtocol } from './protocol.ts'
import { ON_RELAYED } from '../node/open-stream.ts'
import type { FilesEvent } from './api.ts'

/** Concurrent inbound file streams per connection (one per download is the norm). */
const MAX_INBOUND_STREAMS = 16

export const filesCapability: CapabilityFactory<FilesEvent> = async (ctx): Promise<Capability> => {
  const log = (message: string): void => { ctx.logger.info(message) }
  const store = new FileStore(ctx.config.dataDir, ctx.db)
  await store.open()
  const protocol = filesProtocol(ctx.config.network)
  const service = new FilesService({ store, node: ctx.node, dht: ctx.dht, events: ctx.events, protocol, log, downloadsDir: ctx.config.downloadsDir })
  await service.start()
  const failed = (peer: PeerId, err: Error): void => { ctx.conduct.streamFailed(peer, protocol, err) }
  await ctx.node.handle(protocol, filesHandler(store, failed, { uploadLimit: () => service.uploadLimit }), { maxInboundStreams: MAX_INBOUND_STREAMS, ...ON_RELAYED })
  return {
    name: 'files',
    routes: filesRoutes(service),
    stop: async () => {
      await service.stop()
      await ctx.node.unhandle(protocol)
    }
  }
}
