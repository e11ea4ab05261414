// Composes one running Tidepool peer: identity and store on disk, the libp2p node, the DHT, and the
// bookkeeping the API shows (latency, membership, airplane mode). The API and CLI call only this.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, PeerInfo } from '@libp2p/interface'
import type { Config } from './config.ts'
import { loadOrCreateIdentity } from './node/identity.ts'
import { openLibp2pDatastore } from './store/index.ts'
import { createNode, type TidepoolNode } from './node/create-node.ts'
import { NetworkSwitch } from './node/network-switch.ts'
import { LatencyMonitor } from './node/latency-monitor.ts'
import { MEMBER_TAG, Membership, isMember, otherDht, wrongDhtMessage } from './node/membership.ts'
import { dialDiscoveredPeers } from './node/discovery-dialer.ts'
import { PeerConduct } from './node/peer-conduct.ts'
import { PeerScores, levelBanStore } from './node/peer-score.ts'
import { startDht } from './dht/create.ts'
import type { Dht } from './dht/index.ts'
import { recordSelectors, recordValidators } from './dht/kademlia/records.ts'
import { KADEMLIA_TUNING } from './dht/kademlia/tuning.ts'
import { keyToCid } from './dht/keys.ts'
import { PeerEvents } from './events.ts'
import type { Logger } from './logger.ts'
import { openAppStore } from './store/app-store.ts'
import { CAPABILITIES } from './capabilities.ts'
import type { Capability } from './capability.ts'
import { networkInterfaces } from 'node:os'
import { planReach } from './reach/relay.ts'
import { RelayKeeper } from './reach/relay-keeper.ts'
import { ConnectionKinds } from './reach/connection-kinds.ts'
import { forwardingLogger } from './reach/libp2p-log.ts'
import { HolePuncher } from './reach/hole-punch.ts'
import { startStunServer, stunEndpointsOf } from './reach/stun-server.ts'
import { DialError } from './peers/errors.ts'
import type { PeerStatus, PeerSummary } from './peers/api.ts'
import type { ReachabilityStatus } from './node/reachability.ts'
import { nudgeAutoNat } from './node/autonat-nudge.ts'

export const DIAL_TIMEOUT_MS = 15_000

export interface TidepoolPeer {
  readonly peerId: PeerId
  readonly network: string
  readonly dataDir: string
  readonly node: TidepoolNode
  readonly dht: Dht
  readonly events: PeerEvents
  readonly capabilities: readonly Capability[]
  /** Remote peers' shared ban scores, fed by every protocol's serving side. */
  readonly conduct: PeerConduct
  addrs: () => string[]
  status: () => Promise<PeerStatus>
  dial: (addr: string) => Promise<PeerSummary>
  setOnline: (online: boolean) => Promise<void>
  provide: (key: string) => Promise<string>
  findProviders: (key: string) => Promise<{ cid: string, providers: PeerInfo[] }>
  stop: () => Promise<void>
}

function parseDialAddress (text: string): Multiaddr {
  let addr: Multiaddr
  try {
    addr = multiaddr(text)
  } catch (err) {
    throw new DialError('invalid-multiaddr', `"${text}" is not a multiaddr: ${(err as Error).message}`)
  }
  if (addr.getComponents().find(c => c.name === 'p2p')?.value == null) {
    throw new DialError('missing-peer-id', `"${text}" names no peer: add /p2p/<peer id> at the end`)
  }
  return addr
}

function peerIdOf (addr: Multiaddr): PeerId {
  const value = addr.getComponents().findLast(c => c.name === 'p2p')?.value ?? ''
  try {
    return peerIdFromString(value)
  } catch (err) {
    throw new DialError('invalid-multiaddr', `"${value}" is not a peer id: ${(err as Error).message}`)
  }
}

export async function startPeer (config: Config, logger: Logger): Promise<TidepoolPeer> {
  const privateKey = await loadOrCreateIdentity(config.dataDir)
  const datastore = await openLibp2pDatastore(config.dataDir)
  const db = await openAppStore(config.dataDir).catch(async err => { await datastore.close(); throw err })
  const networkSwitch = new NetworkSwitch()
  const reachPlan = await planReach(config, networkInterfaces(), logger.info)
  const events = new PeerEvents()
  let node: TidepoolNode
  try {
    node = await createNode({ config, privateKey, datastore, networkSwitch, kademlia: { validators: recordValidators, selectors: recordSelectors, tuning: KADEMLIA_TUNING }, reach: reachPlan, log: logger.info, logger: forwardingLogger(logger.info) })
  } catch (err) {
    await db.close()
    await datastore.close()
    throw err
  }
  // Before the start, so a peer discovered while the node starts is dialled as soon as it is up.
  const stopDiallingDiscovered = dialDiscoveredPeers(node, networkSwitch, logger.info)
  let runningDht
  let conduct: PeerConduct | undefined
  try {
    // Bans outlive a restart: they are in the app database's `peers` sublevel.
    const scores = await PeerScores.open(levelBanStore(db.sublevel<string, Uint8Array>('peers', { valueEncoding: 'view' })))
    conduct = new PeerConduct(node, scores, logger.info)
    conduct.start()
    runningDht = await startDht(config, node, privateKey, db, logger.info, conduct)
    await node.start()
  } catch (err) {
    stopDiallingDiscovered()
    conduct?.stop()
    await node.stop()
    await db.close()
    await datastore.close()
    throw err
  }
  const dht = runningDht.dht
  const latency = new LatencyMonitor(node, (peerId, latencyMs) => { events.emit({ type: 'peer:latency', peerId, latencyMs }) })
  const membership = new Membership(node, config.network, logger.info, config.dht)
  const stopWatchingRoutingTable = dht.onRoutingTableChange(size => { events.emit({ type: 'dht:routing-table', size }) })

  const connectedAddrs = (peerId: PeerId): string[] => node.getConnections(peerId).map(c => c.remoteAddr.toString())
  node.addEventListener('peer:connect', event => {
    events.emit({ type: 'peer:connected', peerId: event.detail.toString(), addrs: connectedAddrs(event.detail) })
  })
  node.addEventListener('peer:disconnect', event => {
    events.emit({ type: 'peer:disconnected', peerId: event.detail.toString() })
  })
  latency.start()
  const connectionKinds = new ConnectionKinds(node, logger.info)
  connectionKinds.start()
  const relayKeeper = reachPlan.role === 'behind-nat' ? new RelayKeeper(node, logger.info, () => networkSwitch.online) : undefined
  relayKeeper?.start()
  const holePuncher = reachPlan.role === 'behind-nat' ? new HolePuncher(node, logger.info) : undefined
  holePuncher?.start()
  // Our relays answer STUN on their TCP ports' numbers (p2p/reach/stun-server.ts).
  const stunEndpoints = reachPlan.role === 'public' && config.relayService !== undefined
    ? stunEndpointsOf(node.services.reachTransports.listening())
    : []
  const stopStun = stunEndpoints.length === 0
    ? undefined
    : await startStunServer(stunEndpoints, logger.info).catch(err => { logger.error(`no STUN responder: ${(err as Error).message}`); return undefined })
  logger.info(reachPlan.role === 'public'
    ? `public address: ${config.relayService === undefined ? 'relay service off (--no-relay-service)' : 'relaying for peers of this network behind NATs'}`
    : reachPlan.role === 'behind-nat' ? 'no public address: reserving slots on relays to be reachable' : 'loopback only: no relays')

  let reach: ReachabilityStatus = node.services.reachability.status()
  const onSelfUpdate = (): void => {
    const next = node.services.reachability.status()
    if (next.reachability === reach.reachability && next.publicAddrs.join() === reach.publicAddrs.join()) return
    reach = next
    logger.info(`reachability: ${next.reachability}${next.publicAddrs.length > 0 ? ` at ${next.publicAddrs.join(', ')}` : ''}`)
    events.emit({ type: 'reachability', ...next })
  }
  node.addEventListener('self:peer:update', onSelfUpdate)
  const stopNudgingAutoNat = nudgeAutoNat(node, () => node.services.reachability.status())

  const capabilities: Capability[] = []
  /** Stops everything started so far, newest first; used by stop() and by a failed start alike. */
  const teardown = async (): Promise<void> => {
    for (const capability of [...capabilities].reverse()) {
      await capability.stop().catch(err => { logger.error(`stopping ${capability.name} failed: ${(err as Error).message}`) })
    }
    latency.stop()
    connectionKinds.stop()
    relayKeeper?.stop()
    holePuncher?.stop()
    await stopStun?.()
    node.removeEventListener('self:peer:update', onSelfUpdate)
    stopNudgingAutoNat()
    membership.stop()
    stopDiallingDiscovered()
    stopWatchingRoutingTable()
    conduct.stop()
    await runningDht.stop()
    await node.stop()
    await db.close()
    await datastore.close()
  }
  try {
    for (const start of CAPABILITIES) capabilities.push(await start({ config, node, dht, events, db, privateKey, logger, conduct }))
  } catch (err) {
    await teardown()
    throw err
  }

  /** A peer as the UI shows it: the addresses it listens on (from identify), else the ones we reached. */
  const summarize = async (peerId: PeerId, fallbackAddrs: Multiaddr[]): Promise<PeerSummary> => {
    const live = node.getConnections(peerId)
    const listening = await node.peerStore.get(peerId).then(peer => peer.addresses.map(a => a.multiaddr), () => [])
    const addrs = listening.length > 0 ? listening : live.length > 0 ? live.map(c => c.remoteAddr) : fallbackAddrs
    return {
      peerId: peerId.toString(),
      addrs: addrs.map(a => a.toString()),
      latencyMs: latency.get(peerId.toString()),
      connected: live.length > 0,
      ...connectionKinds.of(peerId)
    }
  }

  const knownMembers = async (): Promise<Array<{ id: PeerId, addrs: Multiaddr[] }>> => {
    const members = await node.peerStore.all({ filters: [peer => peer.tags.has(MEMBER_TAG)] })
    return members.map(peer => ({ id: peer.id, addrs: peer.addresses.map(a => a.multiaddr) }))
  }

  const addrs = (): string[] => node.getMultiaddrs().map(a => a.toString())

  return {
    peerId: node.peerId,
    network: config.network,
    dataDir: config.dataDir,
    node,
    dht,
    events,
    capabilities,
    conduct,
    addrs,

    async status (): Promise<PeerStatus> {
      const peers = new Map<string, PeerSummary>()
      for (const peerId of node.getPeers()) peers.set(peerId.toString(), await summarize(peerId, []))
      for (const member of await knownMembers()) {
        if (!peers.has(member.id.toString())) peers.set(member.id.toString(), await summarize(member.id, member.addrs))
      }
      return {
        peerId: node.peerId.toString(),
        addrs: addrs(),
        network: config.network,
        online: networkSwitch.online,
        peers: [...peers.values()],
        dht: dht.summary(),
        ...node.services.reachability.status(),
        relays: relayKeeper?.relays() ?? []
      }
    },

    async dial (text: string): Promise<PeerSummary> {
      const addr = parseDialAddress(text)
      const peerId = peerIdOf(addr)
      if (peerId.equals(node.peerId)) throw new DialError('self-dial', 'that address is this peer itself')
      if (!networkSwitch.online) throw new DialError('offline', 'airplane mode is on: switch the network back on to dial')
      try {
        await node.dial(addr, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      } catch (err) {
        throw new DialError('dial-failed', `could not reach ${peerId.toString()} at ${addr.toString()}: ${(err as Error).message}`)
      }
      let protocols: string[]
      try {
        protocols = await membership.protocolsOf(peerId, AbortSignal.timeout(DIAL_TIMEOUT_MS))
      } catch (err) {
        throw new DialError('dial-failed', `${peerId.toString()} answered but did not identify itself: ${(err as Error).message}`)
      }
      const theirDht = otherDht(protocols, config.network, config.dht)
      if (theirDht !== undefined) {
        await node.hangUp(peerId)
        throw new DialError('wrong-network', wrongDhtMessage(peerId.toString(), config.network, theirDht, config.dht))
      }
      if (!isMember(protocols, config.network, config.dht)) {
        await node.hangUp(peerId)
        throw new DialError('wrong-network', `${peerId.toString()} is not a peer of Tidepool network "${config.network}"`)
      }
      await latency.measure(peerId)
      return await summarize(peerId, [addr])
    },

    async setOnline (online: boolean): Promise<void> {
      if (networkSwitch.online === online) return
      networkSwitch.online = online
      logger.info(online ? 'network switched on' : 'airplane mode: closing every connection')
      events.emit({ type: 'network', online })
      if (!online) {
        await Promise.all(node.getConnections().map(async c => { await c.close().catch(() => c.abort(new Error('airplane mode'))) }))
        return
      }
      // Back online: find the peers we know again, as after a restart: the members we met, and the
      // bootstrap peers, which a peer switched off before it identified them does not know as members.
      const members = await knownMembers()
      const memberIds = new Set(members.map(m => m.id.toString()))
      const bootstraps = config.bootstrap.map(addr => multiaddr(addr)).filter(addr => !memberIds.has(addr.getComponents().find(c => c.name === 'p2p')?.value ?? ''))
      for (const target of [...members.map(m => m.id), ...bootstraps]) {
        node.dial(target, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }).catch(() => { /* unreachable for now */ })
      }
    },

    async provide (key: string): Promise<string> {
      const cid = await keyToCid(key)
      await dht.provide(cid)
      return cid.toString()
    },

    async findProviders (key: string): Promise<{ cid: string, providers: PeerInfo[] }> {
      const cid = await keyToCid(key)
      const providers = await dht.findProviders(cid)
      return { cid: cid.toString(), providers }
    },

    stop: teardown
  }
}
