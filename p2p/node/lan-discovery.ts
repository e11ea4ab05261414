// mDNS discovery that works on any LAN. It speaks @libp2p/mdns's records (a PTR for the service tag,
// a TXT `dnsaddr=<multiaddr>` per LAN address), so it finds and is found by any libp2p mDNS peer, but
// sends differently: @libp2p/mdns sends from one socket on the default multicast interface, and on a
// LAN with no default route (a switch, a hotspot handing out no gateway) the kernel refuses that with
// ENETUNREACH, which it dropped silently. Here every query and answer goes out on each interface that
// has an IPv4 address, from a socket bound to that address (IP_MULTICAST_IF: no route needed), and a
// failed send is logged once per interface and reason.
import { networkInterfaces } from 'node:os'
import { randomBytes } from 'node:crypto'
import multicastDns from 'multicast-dns'
import type { MulticastDNS, QueryPacket, ResponseOutgoingPacket, ResponsePacket } from 'multicast-dns'
import { peerDiscoverySymbol, serviceCapabilities, TypedEventEmitter, type PeerDiscovery, type PeerDiscoveryEvents, type PeerInfo, type Startable } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import { peerIdFromString } from '@libp2p/peer-id'
import { CODE_P2P, multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { isLoopback, isPrivate } from '@libp2p/utils'

const MDNS_GROUP = '224.0.0.251'
const MDNS_PORT = 5353
/** A query at start, then this often: answers to others' queries arrive in between anyway. */
export const LAN_QUERY_INTERVAL_MS = 10_000
/**
 * After start, query and announce ourselves (an unsolicited answer, RFC 6762 §8.3) at these moments:
 * two laptops starting together each miss the other's first query, and our addresses may not be
 * known yet at the very start. Sooner than RFC 6762's one second apart: a few packets on our own
 * service name, for a neighbour found in well under the 2 s a user waits.
 */
const STARTUP_BURST_MS = [0, 250, 1000, 3000]
/** DNS TXT strings hold at most 255 bytes. */
const MAX_TXT = 255

export interface LanDiscoveryInit {
  serviceTag: string
  log: (line: string) => void
}

export interface LanDiscoveryComponents {
  addressManager: AddressManager
}

/** The IPv4 address of each interface that is up (the first, if it has several), by interface name. */
function ipv4Interfaces (): Map<string, string> {
  const found = new Map<string, string>()
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    const v4 = addrs?.find(a => a.family === 'IPv4')
    if (v4 !== undefined) found.set(name, v4.address)
  }
  return found
}

/** The peer an answer to our service tag describes, unless it is us. */
export function peerFromResponse (response: ResponsePacket, serviceTag: string, ownName: string): PeerInfo | undefined {
  const records = [...response.answers, ...(response.additionals ?? [])]
  const ptr = records.find(r => r.type === 'PTR' && r.name === serviceTag)
  if (ptr?.type !== 'PTR' || ptr.data.startsWith(`${ownName}.`)) return undefined
  const addrs = records.flatMap(r => r.type === 'TXT' ? [r.data].flat() : [])
    .map(d => String(d)).filter(d => d.startsWith('dnsaddr='))
    .flatMap(d => { try { return [multiaddr(d.slice('dnsaddr='.length))] } catch { return [] } })
  const id = addrs[0]?.getComponents().findLast(c => c.name === 'p2p')?.value
  if (id === undefined) return undefined
  try {
    return { id: peerIdFromString(id), multiaddrs: addrs.map(a => a.decapsulateCode(CODE_P2P)) }
  } catch {
    return undefined
  }
}

/** Our answer to a query for the service: a PTR to our instance name, a TXT per LAN address. */
export function answersFor (serviceTag: string, ownName: string, addrs: Multiaddr[]): ResponseOutgoingPacket['answers'] {
  const instance = `${ownName}.${serviceTag}`
  const txts = addrs
    // mDNS is for the local link: private and loopback addresses only.
    .filter(a => isPrivate(a) || isLoopback(a))
    .map(a => `dnsaddr=${a.toString()}`)
    .filter(text => text.length <= MAX_TXT && text.includes('/p2p/'))
  if (txts.length === 0) return []
  return [
    { name: serviceTag, type: 'PTR', class: 'IN', ttl: 120, data: instance },
    ...txts.map(data => ({ name: instance, type: 'TXT' as const, class: 'IN' as const, ttl: 120, data }))
  ]
}

export class LanDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery, Startable {
  readonly [peerDiscoverySymbol] = this
  readonly [Symbol.toStringTag] = 'tidepool:lan-discovery'
  readonly [serviceCapabilities] = ['@libp2p/peer-discovery']

  private readonly components: LanDiscoveryComponents
  private readonly serviceTag: string
  private readonly log: (line: string) => void
  /** A DNS label of our own, so we recognise (and skip) our answers coming back. */
  private readonly ownName = randomBytes(24).toString('base64url')
  /** Receives: bound to the mDNS port on every address, a member of the group on every interface. */
  private receiver: MulticastDNS | undefined
  /** Sends: one socket per interface address, whose multicast interface is that address. */
  private readonly senders = new Map<string, { name: string, mdns: MulticastDNS }>()
  private readonly failures = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private readonly burst: NodeJS.Timeout[] = []

  constructor (components: LanDiscoveryComponents, init: LanDiscoveryInit) {
    super()
    this.components = components
    this.serviceTag = init.serviceTag
    this.log = init.log
  }

  isStarted (): boolean {
    return this.receiver !== undefined
  }

  async start (): Promise<void> {
    if (this.receiver !== undefined) return
    this.receiver = multicastDns({ port: MDNS_PORT, ip: MDNS_GROUP })
    this.receiver.on('query', this.onQuery)
    this.receiver.on('response', this.onResponse)
    this.receiver.on('error', err => { this.failOnce('listen', `mDNS cannot listen on port ${MDNS_PORT}: ${err.message}`) })
    this.receiver.on('warning', err => { this.failOnce(`warning:${(err as NodeJS.ErrnoException).code ?? err.message}`, `mDNS: ${err.message}`) })
    for (const at of STARTUP_BURST_MS) this.burst.push(setTimeout(() => { this.query(); this.announce() }, at))
    this.timer = setInterval(() => { this.query() }, LAN_QUERY_INTERVAL_MS)
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    for (const timer of this.burst.splice(0)) clearTimeout(timer)
    const all = [this.receiver, ...[...this.senders.values()].map(s => s.mdns)].filter(m => m !== undefined)
    this.receiver = undefined
    this.senders.clear()
    await Promise.all(all.map(async m => { await new Promise<void>(resolve => { m.destroy(() => { resolve() }) }) }))
  }

  private readonly onQuery = (query: QueryPacket): void => {
    if (query.questions[0]?.name === this.serviceTag) this.announce()
  }

  /** Our answer, to the group: the asker hears it, and so does everyone else on the LAN. */
  private announce (): void {
    const answers = answersFor(this.serviceTag, this.ownName, this.components.addressManager.getAddresses())
    if (answers.length > 0) this.sendEverywhere((mdns, done) => { mdns.respond({ answers }, done) })
  }

  private readonly onResponse = (response: ResponsePacket): void => {
    const peer = peerFromResponse(response, this.serviceTag, this.ownName)
    if (peer !== undefined) this.safeDispatchEvent('peer', { detail: peer })
  }

  private query (): void {
    this.sendEverywhere((mdns, done) => { mdns.query({ questions: [{ name: this.serviceTag, type: 'PTR' }] }, done) })
  }

  /** Runs `send` on a socket for each interface up now (closing those of interfaces gone). */
  private sendEverywhere (send: (mdns: MulticastDNS, done: (err: Error | null) => void) => void): void {
    if (this.receiver === undefined) return
    const current = ipv4Interfaces()
    const addresses = new Set(current.values())
    for (const [address, sender] of this.senders) {
      if (!addresses.has(address)) { this.senders.delete(address); sender.mdns.destroy() }
    }
    for (const [name, address] of current) {
      let sender = this.senders.get(address)
      if (sender === undefined) {
        // Bound to the interface's address: it sends from there and hears nothing sent to the group.
        const mdns = multicastDns({ port: MDNS_PORT, ip: MDNS_GROUP, interface: address })
        mdns.on('error', err => { this.sendFailed(name, err) })
        mdns.on('warning', () => { /* a send-only socket's group membership changes nothing */ })
        sender = { name, mdns }
        this.senders.set(address, sender)
      }
      send(sender.mdns, err => { if (err != null) this.sendFailed(name, err) })
    }
  }

  private sendFailed (name: string, err: Error): void {
    this.failOnce(`${name}:${(err as NodeJS.ErrnoException).code ?? err.message}`, `mDNS: sending on ${name} failed: ${err.message} (logged once; peers on that interface are not found by mDNS)`)
  }

  private failOnce (key: string, line: string): void {
    if (this.failures.has(key)) return
    this.failures.add(key)
    this.log(line)
  }
}

export function lanDiscovery (init: LanDiscoveryInit): (components: LanDiscoveryComponents) => LanDiscovery {
  return components => new LanDiscovery(components, init)
}
