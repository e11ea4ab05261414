// The libp2p node: TCP + noise/TLS + yamux, identify, ping, Kademlia (server mode, per-network protocol),
// gossipsub, mDNS (lan-discovery.ts) and bootstrap discovery, AutoNAT v2 and UPnP port mapping, peers and DHT
// records persisted in the given datastore.
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { tls } from '@libp2p/tls'
import { yamux } from '@libp2p/yamux'
import { identify, type Identify } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import { kadDHT, type KadDHT, type KadDHTInit, type Selectors, type Validators } from '@libp2p/kad-dht'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { bootstrap } from '@libp2p/bootstrap'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { autoNATv2 } from '@libp2p/autonat-v2'
import type { UPnPNAT } from '@libp2p/upnp-nat'
import type { PeerDiscovery, PrivateKey, ComponentLogger } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'
import type { Config } from '../config.ts'
import { isTestNetwork } from '../config.ts'
import { datastorePrefix, kademliaProtocol, mdnsServiceTag } from './network-name.ts'
import { HostPeers } from './address-filter.ts'
import { lanDiscovery, type LanDiscovery } from './lan-discovery.ts'
import type { NetworkSwitch } from './network-switch.ts'
import type { ReachPlan, ReachTransports } from '../reach/relay.ts'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { reachability, type ReachabilityService } from './reachability.ts'
import { portMapping } from './port-mapping.ts'
import { countAsPublic } from './public-prefix.ts'
import { copyMiddlewarePerStream } from './middleware-copies.ts'

export type TidepoolServices = {
  identify: Identify
  ping: Ping
  /** Kademlia, on Kademlia networks only: a Chord network's peers speak dht/chord instead. */
  dht?: KadDHT
  pubsub: GossipSub
  reachTransports: ReachTransports
  /** The relay service, on a peer with a public address (p2p/reach/). */
  relay?: CircuitRelayService
  /** mDNS on every interface, unless switched off (`--no-mdns`). */
  lan?: LanDiscovery
  autoNAT: unknown
  reachability: ReachabilityService
  /** Absent with --no-upnp. */
  upnp?: UPnPNAT
}

export type TidepoolNode = Libp2p<TidepoolServices>

export interface NodeOptions {
  config: Pick<Config, 'listen' | 'bootstrap' | 'mdns' | 'network' | 'dht' | 'publicPrefixes' | 'upnp'>
  privateKey: PrivateKey
  datastore: Datastore
  networkSwitch: NetworkSwitch
  /**
   * How Kademlia checks and picks among the records it stores, and how many peers its queries ask: the
   * DHT's rules, given by whoever composes the peer.
   */
  kademlia: { validators: Validators, selectors: Selectors, tuning: Pick<KadDHTInit, 'kBucketSize' | 'alpha' | 'disjointPaths'> }
  /** Relays and hole punching (p2p/reach/relay.ts). */
  reach: ReachPlan
  logger?: ComponentLogger
  /** The peer's log, for what a user should hear of (an mDNS send or a port mapping that failed). */
  log?: (line: string) => void
}

/**
 * The dialer's first choice that the listener also speaks wins. Inside Electron (the core's utility
 * process) BoringSSL lacks ChaCha20-Poly1305, so noise would run a WebAssembly cipher: offer TLS's
 * AES-GCM first there. Node peers keep noise first; between a Node and an Electron peer, whichever dials
 * decides (docs/ARCHITECTURE.md).
 */
export function connectionEncrypters (insideElectron = process.versions.electron !== undefined): Array<ReturnType<typeof noise> | ReturnType<typeof tls>> {
  return insideElectron ? [tls(), noise()] : [noise(), tls()]
}

/**
 * libp2p's connection monitor (on by default, so in other peers' nodes; ours is off) pings every
 * connection on the same protocol as our LatencyMonitor, and aborts the connection, with every stream on
 * it, when its ping can't open a stream. With ping's default limit of one stream each way, the two
 * collided on a busy connection and cut transfers short.
 */
export const PING_STREAM_LIMITS = { maxOutboundStreams: 4, maxInboundStreams: 8 }

export async function createNode ({ config, privateKey, datastore, networkSwitch, kademlia, reach, logger, log = () => {} }: NodeOptions): Promise<TidepoolNode> {
  const testNetwork = isTestNetwork(config.network)
  countAsPublic(config.publicPrefixes)
  const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
  if (config.bootstrap.length > 0) peerDiscovery.push(bootstrap({ list: config.bootstrap }))
  const hostPeers = new HostPeers(peerIdFromPrivateKey(privateKey))

  const node = await createLibp2p({
    // Started by the caller once every protocol handler is registered: a peer identified before its
    // DHT handler exists would look like a stranger to its neighbours' membership check.
    start: false,
    privateKey,
    datastore,
    logger,
    addresses: { listen: [...config.listen, ...reach.listen] },
    transports: [tcp(), ...reach.transports],
    connectionEncrypters: connectionEncrypters(),
    streamMuxers: [yamux()],
    connectionGater: { ...networkSwitch.gater(), ...reach.gater },
    // Off: it pinged every connection every 10 s on a new stream, beside our LatencyMonitor's pings (which
    // the UI shows), and aborted the connection, transfers and all, when one ping missed its deadline on a
    // loaded machine. Yamux's keep-alive frames (every 30 s, no stream) keep NAT mappings open, and a dead
    // connection shows itself when a stream on it fails.
    connectionMonitor: { enabled: false },
    connectionManager: {
      addressSorter: reach.addressSorter,
      // Dozens of peers on 127.0.0.1 look like one host flooding us; a test network expects that.
      ...(testNetwork ? { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 } : {})
    },
    peerDiscovery,
    services: {
      identify: identify(),
      ping: ping(PING_STREAM_LIMITS),
      ...(config.dht === 'kademlia'
        ? {
            dht: kadDHT({
              protocol: kademliaProtocol(config.network),
              datastorePrefix: datastorePrefix(config.network),
              // A LAN or a laptop behind NAT is never "publicly reachable"; serve the DHT anyway.
              clientMode: false,
              peerInfoMapper: hostPeers.mapper,
              allowQueryWithZeroPeers: true,
              validators: kademlia.validators,
              selectors: kademlia.selectors,
              ...kademlia.tuning
            })
          }
        : {}),
      // Blocks and transactions also travel over relayed (limited) connections, between peers behind NATs.
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, runOnLimitedConnection: true }),
      // A service rather than a plain discovery, so the discovery dialer can follow its every report.
      ...(config.mdns ? { lan: lanDiscovery({ serviceTag: mdnsServiceTag(config.network), log }) } : {}),
      // Client and server: we ask peers to dial our public-looking addresses back, and do the same for them.
      autoNAT: autoNATv2(),
      reachability: reachability(),
      ...(config.upnp ? { upnp: portMapping(log) } : {}),
      ...reach.services
    }
  })
  copyMiddlewarePerStream(node)
  reach.attach(node)
  hostPeers.watch(node)
  return node
}
