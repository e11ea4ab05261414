// The libp2p node: TCP + noise/TLS + yamux, identify, ping, Kademlia (server mode, per-network protocol),
// gossipsub, mDNS and bootstrap discovery, peers and DHT records persisted in the given datastore.
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { tls } from '@libp2p/tls'
import { yamux } from '@libp2p/yamux'
import { identify, type Identify } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import { kadDHT, type KadDHT } from '@libp2p/kad-dht'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { mdns } from '@libp2p/mdns'
import { bootstrap } from '@libp2p/bootstrap'
import type { PeerDiscovery, PrivateKey, ComponentLogger } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'
import type { Config } from '../config.ts'
import { isTestNetwork } from '../config.ts'
import { datastorePrefix, kademliaProtocol, mdnsServiceTag } from './network-name.ts'
import { peerInfoMapper } from './address-filter.ts'
import { recordSelectors, recordValidators } from '../dht/kademlia/records.ts'
import type { NetworkSwitch } from './network-switch.ts'

export type TidepoolServices = {
  identify: Identify
  ping: Ping
  /** Kademlia, on Kademlia networks only: a Chord network's peers speak dht/chord instead. */
  dht?: KadDHT
  pubsub: GossipSub
}

export type TidepoolNode = Libp2p<TidepoolServices>

export interface NodeOptions {
  config: Pick<Config, 'listen' | 'bootstrap' | 'mdns' | 'network' | 'dht'>
  privateKey: PrivateKey
  datastore: Datastore
  networkSwitch: NetworkSwitch
  logger?: ComponentLogger
}

export async function createNode ({ config, privateKey, datastore, networkSwitch, logger }: NodeOptions): Promise<TidepoolNode> {
  const testNetwork = isTestNetwork(config.network)
  const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
  if (config.mdns) peerDiscovery.push(mdns({ serviceTag: mdnsServiceTag(config.network) }))
  if (config.bootstrap.length > 0) peerDiscovery.push(bootstrap({ list: config.bootstrap }))

  return await createLibp2p({
    // Started by the caller once every protocol handler is registered: a peer identified before its
    // DHT handler exists would look like a stranger to its neighbours' membership check.
    start: false,
    privateKey,
    datastore,
    logger,
    addresses: { listen: config.listen },
    transports: [tcp()],
    // Noise first; TLS (AES-GCM) for peers inside Electron, whose BoringSSL lacks ChaCha20-Poly1305.
    connectionEncrypters: [noise(), tls()],
    streamMuxers: [yamux()],
    connectionGater: networkSwitch.gater(),
    connectionManager: testNetwork
      // Dozens of peers on 127.0.0.1 look like one host flooding us; a test network expects that.
      ? { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 }
      : {},
    peerDiscovery,
    services: {
      identify: identify(),
      // libp2p's connection monitor pings every connection on the same protocol as our latency monitor;
      // at the default limit of one outbound ping stream, the two collide and the monitor, taking its
      // failed ping for a dead peer, aborts a healthy connection (seen with 20 peers: hundreds a minute).
      ping: ping({ maxOutboundStreams: 4, maxInboundStreams: 8 }),
      ...(config.dht === 'kademlia'
        ? {
            dht: kadDHT({
              protocol: kademliaProtocol(config.network),
              datastorePrefix: datastorePrefix(config.network),
              // A LAN or a laptop behind NAT is never "publicly reachable"; serve the DHT anyway.
              clientMode: false,
              peerInfoMapper: peerInfoMapper(testNetwork),
              allowQueryWithZeroPeers: true,
              validators: recordValidators,
              selectors: recordSelectors
            })
          }
        : {}),
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true })
    }
  })
}
