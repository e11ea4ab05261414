// Behind a NAT: keeps RELAYS_WANTED relay reservations. It picks relays among the peers whose identify
// lists the relay (hop) protocol, reserves a slot on each, logs every gain and loss with its reason, and
// while it holds too few, dials the relays it knows with exponential backoff (never a tight loop).
import type { IdentifyResult, Peer, PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { TidepoolNode } from '../node/create-node.ts'
import type { HeldRelay } from '../peers/api.ts'
import { RELAY_V2_HOP_CODEC, RELAYS_WANTED, relaysIn } from './relay.ts'
import { isRelayedAddr } from './circuit-addresses.ts'

export const RETRY_MIN_MS = 2_000
export const RETRY_MAX_MS = 5 * 60_000
const DIAL_TIMEOUT_MS = 10_000
/** The tag @libp2p/bootstrap puts on the peers it was given. */
const BOOTSTRAP_TAG = 'bootstrap'
/** A reservation that has not settled by then is counted as failed (and tried again later). */
const RESERVE_TIMEOUT_MS = 15_000

/** libp2p wraps a refused reservation in a listen error; the relay's status is the part worth logging. */
function reasonOf (err: Error): string {
  return /reservation failed with status \w+/.exec(err.message)?.[0] ?? err.message.split('\n')[0] ?? ''
}


export class RelayKeeper {
  private held = new Map<string, string[]>()
  /** Relays a reservation is being made on, so two triggers never ask the same relay twice. */
  private readonly asking = new Set<string>()
  /**
   * Reservations are made one at a time: libp2p's reservation store drops queued reservations whenever
   * it counts itself as having enough relays, so a second one requested meanwhile would never settle.
   */
  private reserving: Promise<unknown> = Promise.resolve()
  private readonly lostBecause = new Map<string, string>()
  private retryMs = RETRY_MIN_MS
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  private readonly node: TidepoolNode
  private readonly log: (line: string) => void
  private readonly online: () => boolean

  constructor (node: TidepoolNode, log: (line: string) => void, online: () => boolean) {
    this.node = node
    this.log = log
    this.online = online
  }

  start (): void {
    this.node.addEventListener('self:peer:update', this.onUpdate)
    this.node.addEventListener('peer:identify', this.onIdentify)
    this.node.addEventListener('peer:disconnect', this.onDisconnect)
    this.node.addEventListener('peer:discovery', this.onDiscovery)
    this.schedule(0)
  }

  stop (): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.node.removeEventListener('self:peer:update', this.onUpdate)
    this.node.removeEventListener('peer:identify', this.onIdentify)
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
    this.node.removeEventListener('peer:discovery', this.onDiscovery)
  }

  relays (): HeldRelay[] {
    return [...this.held].map(([peerId, addrs]) => ({ peerId, addrs }))
  }

  /** A relay we just met is tried at once, not at the next backoff step. */
  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    if (event.detail.protocols.includes(RELAY_V2_HOP_CODEC) && this.held.size < RELAYS_WANTED) this.schedule(0)
  }

  /** A bootstrap peer, once libp2p has reported it: if its own dial fails, the next round dials it again. */
  private readonly onDiscovery = (): void => {
    if (this.held.size < RELAYS_WANTED) this.schedule(this.retryMs)
  }

  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => {
    if (this.held.has(event.detail.toString())) this.lostBecause.set(event.detail.toString(), 'the connection to it closed')
  }

  private readonly onUpdate = (): void => {
    const now = relaysIn(this.node.getMultiaddrs())
    for (const [id, addrs] of now) {
      if (!this.held.has(id)) {
        this.log(`relay reservation on ${id}: reachable at ${addrs.join(', ')}`)
        this.retryMs = RETRY_MIN_MS
      }
    }
    const lost = [...this.held.keys()].filter(id => !now.has(id))
    for (const id of lost) this.log(`lost relay ${id}: ${this.lostBecause.get(id) ?? 'its reservation ended'}`)
    this.held = now
    // Another relay we are connected to can take over at once; backoff is for relays that fail.
    if (now.size < RELAYS_WANTED) this.schedule(lost.length > 0 ? 0 : this.retryMs)
  }

  private schedule (delayMs: number): void {
    if (this.stopped) return
    if (this.timer !== undefined && delayMs > 0) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.fill().catch(err => { this.log(`relay search failed: ${(err as Error).message}`) })
    }, delayMs)
  }

  private async reserveOn (addr: ReturnType<typeof multiaddr>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`no answer in ${RESERVE_TIMEOUT_MS / 1000} s`)) }, RESERVE_TIMEOUT_MS) })
    try {
      await Promise.race([this.node.services.reachTransports.listen(addr), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Reserves on connected relays first; failing that, dials the relays we know of — and the bootstrap
   * peers not met yet: libp2p dials those once, at start, and a first dial that fails (a slow start on a
   * busy machine) would otherwise leave this peer with no relay, and no peer, for good.
   */
  private async fill (): Promise<void> {
    if (this.stopped || this.held.size >= RELAYS_WANTED || !this.online()) return
    const isRelay = (peer: Peer): boolean => peer.protocols.includes(RELAY_V2_HOP_CODEC)
    const candidates = (await this.node.peerStore.all({ filters: [peer => isRelay(peer) || (peer.tags.has(BOOTSTRAP_TAG) && peer.protocols.length === 0)] }))
      .filter(peer => !this.held.has(peer.id.toString()) && !this.asking.has(peer.id.toString()))
    const known = candidates.map(peer => peer.id)
    const directTo = (id: PeerId): string | undefined => this.node.getConnections(id).find(c => c.status === 'open' && !isRelayedAddr(c.remoteAddr))?.remoteAddr.toString()
    // A bootstrap peer connected but not identified yet: its identify says whether it relays (onIdentify).
    const connected = candidates.filter(peer => isRelay(peer) && directTo(peer.id) !== undefined).map(peer => peer.id)
    let failed = false
    const failure = (line: string): void => { failed = true; this.log(`${line} (next try in ${Math.round(Math.min(this.retryMs * 2, RETRY_MAX_MS) / 1000)} s)`) }
    await Promise.all(connected.slice(0, RELAYS_WANTED - this.held.size).map(async id => {
      const key = id.toString()
      this.asking.add(key)
      const addr = multiaddr(`${directTo(id)!.replace(/\/p2p\/[^/]+$/, '')}/p2p/${key}/p2p-circuit`)
      const reserve = this.reserving.then(async () => { await this.reserveOn(addr) })
      this.reserving = reserve.catch(() => {})
      await reserve
        .catch(err => { failure(`relay ${key} refused a reservation: ${reasonOf(err as Error)}`) })
        .finally(() => { this.asking.delete(key) })
    }))
    if (this.held.size + connected.length < RELAYS_WANTED) {
      await Promise.all(known.filter(id => directTo(id) === undefined).map(async id => {
        await this.node.dial(id, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
          .catch(err => { failure(`${candidates.some(p => p.id.equals(id) && isRelay(p)) ? 'relay' : 'bootstrap peer'} ${id.toString()} unreachable: ${(err as Error).message}`) })
      }))
    }
    this.retryMs = failed ? Math.min(this.retryMs * 2, RETRY_MAX_MS) : RETRY_MIN_MS
    // With no relay known there is nothing to retry: meeting one (its identify, or a bootstrap peer's
    // discovery) starts the next round.
    if (this.held.size < RELAYS_WANTED && known.length > 0) this.schedule(this.retryMs)
  }
}
