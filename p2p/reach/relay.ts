// Circuit relay v2 for Tidepool: a peer with a public address relays, within limits, for peers of its
// own network; a peer behind a NAT holds reservations on RELAYS_WANTED relays and advertises its
// /p2p-circuit addresses, so share links, invites and DHT records made behind a NAT work from anywhere.
import { circuitRelayServer, circuitRelayTransport, RELAY_V2_HOP_CODEC, RELAY_V2_STOP_CODEC, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { AddressSorter, Connection, ConnectionGater, IdentifyResult, PeerId, Stream, Transport } from '@libp2p/interface'
import type { TransportManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'
import type { NetworkInterfaceInfo } from 'node:os'
import type { Config } from '../config.ts'
import { dhtProtocol } from '../node/network-name.ts'
import { dialRank, listenHosts, localSubnets, reachRole, type ReachRole } from './public-address.ts'
import { countAsPublic } from '../node/public-prefix.ts'
import { circuitAddressKeeper, type CircuitAddressComponents, type CircuitAddressKeeper } from './circuit-addresses.ts'
import { watchStreamEnds } from '../node/stream-ends.ts'

/** Reservations a peer behind a NAT keeps, so losing one relay leaves it reachable through another. */
export const RELAYS_WANTED = 2
/** How long a relay waits for a new peer's identify before it decides the peer is not one of ours. */
export const IDENTIFY_WAIT_MS = 5_000

/** The transport manager, for what libp2p's public API leaves out. */
export interface ReachTransports {
  /**
   * Listens on one relay's /p2p-circuit address (a reservation there). The RelayKeeper picks the relays:
   * libp2p's own relay search (listening on a bare /p2p-circuit) runs a random walk over the DHT that
   * spins without pause while the DHT is empty, starving the event loop.
   */
  listen: (relayCircuitAddr: Multiaddr) => Promise<void>
  /**
   * Dials one address with the caller's timeout: the dial queue gives each address 6 s, less than ICE
   * may need to punch through two NATs.
   */
  dial: (addr: Multiaddr, options: { signal: AbortSignal }) => Promise<Connection>
  /** The addresses we listen on, as bound: libp2p announces a public one only once AutoNAT confirmed it. */
  listening: () => Multiaddr[]
}

export interface ReachPlan {
  role: ReachRole
  /** Listen addresses to add: `/webrtc` behind a NAT, for hole punching (p2p/reach/hole-punch.ts). */
  listen: string[]
  transports: Array<(components: any) => Transport>
  services: {
    relay?: (components: any) => CircuitRelayService
    circuitAddresses?: (components: CircuitAddressComponents) => CircuitAddressKeeper
    reachTransports: (components: { transportManager: TransportManager }) => ReachTransports
  }
  /** The gater's relay hooks; they read the node, so attach() it once created. */
  gater: Pick<ConnectionGater, 'denyInboundRelayReservation' | 'denyOutboundRelayedConnection'>
  attach: (node: Libp2p) => void
  /** The connection manager's dial order (dialRank). */
  addressSorter: AddressSorter
}

export async function planReach (config: Pick<Config, 'listen' | 'publicPrefixes' | 'relayService' | 'network' | 'dht'>,
  interfaces: Record<string, NetworkInterfaceInfo[] | undefined>, log: (line: string) => void): Promise<ReachPlan> {
  countAsPublic(config.publicPrefixes)
  const role = reachRole(listenHosts(config.listen, interfaces))
  const lan = localSubnets(interfaces)
  // Loaded only behind a NAT: @libp2p/webrtc and its native part take over a second to import. Without
  // it (no prebuilt native part for this platform) the peer still works, relayed only.
  const webRTC = role === 'behind-nat'
    ? await import('@libp2p/webrtc').then(m => m.webRTC, err => { log(`no WebRTC, so no hole punching: ${(err as Error).message}`); return undefined })
    : undefined
  const limits = role === 'public' ? config.relayService : undefined
  let node: Libp2p | undefined
  const ourDht = dhtProtocol(config.network, config.dht)

  /** A relay serves only its own network: the peer's identify must list our network's DHT protocol. */
  const isOurs = async (peer: PeerId): Promise<boolean> => {
    if (node === undefined) return false
    const target = node
    const identified = new Promise<boolean>(resolve => {
      const done = (result: boolean): void => { clearTimeout(timer); target.removeEventListener('peer:identify', onIdentify); resolve(result) }
      const onIdentify = (event: CustomEvent<IdentifyResult>): void => { if (event.detail.peerId.equals(peer)) done(event.detail.protocols.includes(ourDht)) }
      const timer = setTimeout(() => { done(false) }, IDENTIFY_WAIT_MS)
      target.addEventListener('peer:identify', onIdentify)
      // A connection's identify may have run before this reservation request, or may still be on its way.
      void target.peerStore.get(peer).then(p => { if (p.protocols.includes(ourDht)) done(true) }, () => {})
    })
    return await identified
  }

  /** Relayed connections open through us: each holds one outbound STOP stream to its destination. */
  const stopStreams = (connections: Connection[]): Stream[] => connections.flatMap(c => c.streams.filter(s => s.protocol === RELAY_V2_STOP_CODEC && s.direction === 'outbound'))
  const openCircuits = (): number => stopStreams(node?.getConnections() ?? []).length

  /**
   * Logs how each circuit through us ends: a limit's error names which limit cut it. Each circuit is one
   * outbound STOP stream to its destination, and a middleware on that protocol sees every one as it opens.
   */
  const watchCircuits = (target: Libp2p): void => {
    watchStreamEnds(target, RELAY_V2_STOP_CODEC, 'outbound', ({ error }, connection, openedAt) => {
      log(`relay: relayed connection to ${connection.remotePeer.toString()} ended after ${((Date.now() - openedAt) / 1000).toFixed(1)} s${error === undefined ? '' : `: ${error.name}: ${error.message}`}`)
    })
  }

  return {
    role,
    listen: role === 'behind-nat' ? ['/webrtc'] : [],
    transports: [
      circuitRelayTransport({ reservationCompletionTimeout: 10_000 }),
      // WebRTC signalled over a relayed connection, with our relays answering STUN: the hole punch.
      ...(webRTC !== undefined ? [webRTC({ rtcConfiguration: () => ({ iceServers: stunServersOf(node?.getMultiaddrs() ?? []) }) })] : [])
    ],
    services: {
      reachTransports: ({ transportManager }) => ({
        listen: async addr => { await transportManager.listen([addr]) },
        dial: async (addr, options) => await transportManager.dial(addr, options),
        listening: () => transportManager.getAddrs()
      }),
      ...(role === 'behind-nat' ? { circuitAddresses: circuitAddressKeeper() } : {}),
      ...(limits === undefined
        ? {}
        : {
            relay: circuitRelayServer({
              reservations: {
                maxReservations: limits.maxReservations,
                applyDefaultLimit: true,
                defaultDataLimit: BigInt(limits.maxBytes),
                defaultDurationLimit: limits.maxSeconds * 1000
              }
            })
          })
    },
    gater: {
      denyInboundRelayReservation: async peer => {
        if (await isOurs(peer)) return false
        log(`relay: no reservation for ${peer.toString()}: not a peer of Tidepool network "${config.network}"`)
        return true
      },
      denyOutboundRelayedConnection: async (source, destination) => {
        const open = openCircuits()
        if (open >= (limits?.maxConnections ?? 0)) {
          log(`relay: refused to relay ${source.toString()} to ${destination.toString()}: ${open} relayed connections open, the limit`)
          return true
        }
        if (await isOurs(source)) return false
        log(`relay: refused to relay ${source.toString()}: not a peer of Tidepool network "${config.network}"`)
        return true
      }
    },
    attach: created => {
      node = created
      if (limits !== undefined) watchCircuits(created)
    },
    addressSorter: (a, b) => Math.sign(dialRank(a.multiaddr.toString(), lan) - dialRank(b.multiaddr.toString(), lan)) as -1 | 0 | 1
  }
}

/** The STUN servers our relays run: the UDP port of the same number as the relay's TCP port. */
export function stunServersOf (ownAddrs: ReadonlyArray<{ toString: () => string }>): Array<{ urls: string }> {
  const urls = new Set<string>()
  for (const addrs of relaysIn(ownAddrs).values()) {
    for (const addr of addrs) {
      const match = /^\/ip4\/([^/]+)\/tcp\/(\d+)\//.exec(addr)
      if (match !== null) urls.add(`stun:${match[1]}:${match[2]}`)
    }
  }
  return [...urls].map(url => ({ urls: url }))
}


/** The relays an address list goes through: the peer id before each /p2p-circuit. */
export function relaysIn (addrs: ReadonlyArray<{ toString: () => string }>): Map<string, string[]> {
  const relays = new Map<string, string[]>()
  for (const addr of addrs.map(a => a.toString())) {
    const [relayPart = ''] = addr.split('/p2p-circuit')
    const id = /\/p2p\/([^/]+)$/.exec(relayPart)?.[1]
    if (id === undefined || !addr.includes('/p2p-circuit')) continue
    relays.set(id, [...(relays.get(id) ?? []), addr])
  }
  return relays
}

export { RELAY_V2_HOP_CODEC }
