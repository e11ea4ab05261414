// The plug-in point for Tidepool's capabilities (files, calendar, ledger): each is started with the
// running peer's parts and contributes API routes. They never import each other; they meet here.
import type { Level } from 'level'
import type { PrivateKey } from '@libp2p/interface'
import type { Config } from './config.ts'
import type { TidepoolNode } from './node/create-node.ts'
import type { Dht } from './dht/index.ts'
import type { PeerEvents } from './events.ts'
import type { Logger } from './logger.ts'
import type { Route } from './api/router.ts'

export interface CapabilityContext {
  config: Config
  node: TidepoolNode
  dht: Dht
  events: PeerEvents
  /** The app database (<data-dir>/store); take a sublevel named after the capability. */
  db: Level<string, Uint8Array>
  /** The peer's identity key (Ed25519), e.g. for signing what this peer authors. */
  privateKey: PrivateKey
  logger: Logger
}

export interface Capability {
  readonly name: string
  readonly routes: Route[]
  stop: () => Promise<void>
}

export type CapabilityFactory = (ctx: CapabilityContext) => Promise<Capability>
