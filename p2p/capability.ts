// The plug-in point for Tidepool's capabilities (files, calendar, ledger): each is started with the
// running peer's parts and hands back the API routes it serves. They never import each other; each
// sees only its own events (E, declared in its api.ts).
import type { AppDatabase } from './store/app-store.ts'
import type { PrivateKey } from '@libp2p/interface'
import type { Config } from './config.ts'
import type { TidepoolNode } from './node/create-node.ts'
import type { Dht } from './dht/index.ts'
import type { EventSink } from './event-hub.ts'
import type { Logger } from './logger.ts'
import type { Mount, Route } from './api/router.ts'
import type { PeerConduct } from './node/peer-conduct.ts'

export interface CapabilityContext<E> {
  config: Config
  node: TidepoolNode
  dht: Dht
  events: EventSink<E>
  /** The app database (<data-dir>/store); take a sublevel named after the capability. */
  db: AppDatabase
  /** The peer's identity key (Ed25519), e.g. for signing what this peer authors. */
  privateKey: PrivateKey
  logger: Logger
  /** Remote peers' one shared score: every serving side reports failed streams here (p2p/node/peer-conduct.ts). */
  conduct: PeerConduct
}

export interface Capability {
  readonly name: string
  /** Mounted by the generic API server (p2p/api/) as they are. */
  readonly routes: Route[]
  /** Subtrees outside /api/ with HTTP Basic auth (the calendar's CalDAV). */
  readonly mounts?: Mount[]
  stop: () => Promise<void>
}

export type CapabilityFactory<E> = (ctx: CapabilityContext<E>) => Promise<Capability>
