// Chord over libp2p: the Dht interface on /tidepool/<network>/chord/1.0.0. It composes the parts —
// client.ts (asking), server.ts (answering), maintenance.ts (the periodic rounds), the record store and
// the address book — around one routing table whose rules are the pure ones in routing-table.ts and
// lookup.ts (the simulator runs the same). Every operation honours its caller's abort signal.
import type { Libp2p, PeerId, PeerInfo, PrivateKey, IdentifyResult, AbortOptions } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { AppDatabase } from '../../store/app-store.ts'
import type { CID } from 'multiformats/cid'
import { z } from 'zod'
import type { ChordRingSummary, Dht, DhtRecord, LookupStats, RoutingTableSummary } from '../index.ts'
import { DhtLookupError } from '../index.ts'
import { TIDEPOOL_RING, chordId, idToHex } from './ring.ts'
import { ChordRoutingTable, type NodeRef } from './routing-table.ts'
import { RECORD_TTL_MS, type ChordRecord } from './records.ts'
import { ChordRecordStore } from './record-store.ts'
import { chordProtocol } from '../../node/network-name.ts'
import { MAX_ADDRS } from './protocol.ts'
import { signRecord } from '../signed-records.ts'
import type { StoreLimits } from '../store-limits.ts'
import { ChordAddressBook, parseAddrs } from './address-book.ts'
import { ChordClient } from './client.ts'
import { ChordServer } from './server.ts'
import { ChordMaintenance } from './maintenance.ts'

export const DEFAULT_SUCCESSORS = 4
export const DEFAULT_REPLICAS = 3
export const DEFAULT_MAINTENANCE_MS = 1000
export const DEFAULT_RPC_TIMEOUT_MS = 3000
export const DEFAULT_PROVIDER_LIMIT = 20

export interface ChordDhtOptions {
  network: string
  /** The node's own key: it signs the records this peer puts. */
  privateKey: PrivateKey
  successors?: number
  replicas?: number
  maintenanceMs?: number
  rpcTimeoutMs?: number
  recordTtlMs?: number
  /** What this node takes from others into its store (default ../store-limits.ts). */
  storeLimits?: StoreLimits
  /** How often this peer puts its own records again, so they outlive the TTL while it is up (default TTL/2). */
  republishMs?: number
  /** The clock of record lifetimes and republishing (tests move it on). */
  now?: () => number
  log?: (line: string) => void
  /** Told of a request stream that failed, with its sender (the peer's conduct scores it); default: logged. */
  refused?: (peer: string, err: Error) => void
}

const ProviderValue = z.object({ addrs: z.array(z.string().max(256)).max(MAX_ADDRS) }).strict()

export class ChordDht implements Dht {
  readonly kind = 'chord'
  readonly protocol: string
  readonly table: ChordRoutingTable
  private readonly node: Libp2p
  private readonly privateKey: PrivateKey
  private readonly store: ChordRecordStore
  private readonly book: ChordAddressBook
  private readonly client: ChordClient
  private readonly server: ChordServer
  private readonly maintenance: ChordMaintenance
  private readonly replicas: number
  private readonly recordTtlMs: number
  private readonly republishMs: number
  /** What this peer has put (key → value), also on disk: put again every republishMs while the peer runs, and after a restart. */
  private readonly published = new Map<string, string>()
  /** Keys whose last republish failed: tried again at the next round, not a whole period later. */
  private readonly republishFailed = new Set<string>()
  private lastRepublish: number
  private readonly now: () => number
  private readonly log: (line: string) => void
  private readonly lifetime = new AbortController()
  private readonly listeners = new Set<(size: number) => void>()

  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    if (!event.detail.protocols.includes(this.protocol)) return
    const peer = event.detail.peerId.toString()
    this.maintenance.contacts.add(peer)
    this.maintenance.wake()
    // Its listen addresses, as it announced them: the ones we pass on when we name it to others.
    this.book.set(peer, event.detail.listenAddrs.map(a => a.toString()))
  }

  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => {
    this.maintenance.contacts.delete(event.detail.toString())
  }

  constructor (node: Libp2p, db: AppDatabase, options: ChordDhtOptions) {
    this.node = node
    this.privateKey = options.privateKey
    this.protocol = chordProtocol(options.network)
    this.store = new ChordRecordStore(db, options.storeLimits)
    this.replicas = options.replicas ?? DEFAULT_REPLICAS
    const rpcTimeoutMs = options.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS
    this.recordTtlMs = options.recordTtlMs ?? RECORD_TTL_MS
    this.republishMs = options.republishMs ?? this.recordTtlMs / 2
    this.now = options.now ?? Date.now
    this.log = options.log ?? (() => {})
    this.lastRepublish = this.now()
    const self = node.peerId.toString()
    this.table = new ChordRoutingTable({ id: chordId(self), peer: self }, { space: TIDEPOOL_RING, successorListLength: options.successors ?? DEFAULT_SUCCESSORS })
    const shared = { table: this.table, store: this.store, now: this.now, log: this.log }
    this.book = new ChordAddressBook(node)
    this.client = new ChordClient({
      ...shared,
      node,
      protocol: this.protocol,
      book: this.book,
      rpcTimeoutMs,
      recordTtlMs: this.recordTtlMs,
      lifetime: this.lifetime.signal,
      failed: () => { this.maintenance.wake() }
    })
    this.maintenance = new ChordMaintenance({
      ...shared,
      client: this.client,
      book: this.book,
      replicas: this.replicas,
      maintenanceMs: options.maintenanceMs ?? DEFAULT_MAINTENANCE_MS,
      lifetime: this.lifetime.signal,
      republish: async () => { await this.republish() },
      sizeChanged: size => { for (const listener of this.listeners) listener(size) }
    })
    this.server = new ChordServer({
      ...shared,
      book: this.book,
      client: this.client,
      rpcTimeoutMs,
      recordTtlMs: this.recordTtlMs,
      heardFrom: peer => { this.maintenance.heardFrom(peer) },
      refused: options.refused ?? ((peer, err) => { this.log(`chord: request from ${peer} refused: ${err.message}`) }),
      predecessorChanged: () => { this.maintenance.wake() }
    })
  }

  async start (): Promise<void> {
    // Our own records from before a restart: put again at the first round that finds the ring.
    for (const [key, value] of await this.store.ownRecords()) this.published.set(key, value)
    if (this.published.size > 0) this.lastRepublish = -Infinity
    await this.node.handle(this.protocol, this.server.handle, { maxInboundStreams: 64 })
    this.node.addEventListener('peer:identify', this.onIdentify)
    this.node.addEventListener('peer:disconnect', this.onDisconnect)
    this.maintenance.start()
  }

  /** Ends every call in flight, then waits for the last round and the streams being served. */
  async stop (): Promise<void> {
    this.lifetime.abort()
    this.node.removeEventListener('peer:identify', this.onIdentify)
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
    await this.node.unhandle(this.protocol)
    await this.maintenance.stop()
    await this.server.idle()
  }

  /** One maintenance round after any in flight (tests wait for a whole round instead of sleeping). */
  async maintain (): Promise<void> {
    await this.maintenance.maintain()
  }

  // ——— the Dht interface ———

  async provide (key: CID, options?: AbortOptions): Promise<void> {
    await this.put(key.toString(), JSON.stringify({ addrs: this.book.own() }), options)
  }

  async findProviders (key: CID, options?: AbortOptions & { limit?: number }): Promise<PeerInfo[]> {
    const records = await this.get(key.toString(), options)
    const providers: PeerInfo[] = []
    for (const record of records.slice(0, options?.limit ?? DEFAULT_PROVIDER_LIMIT)) {
      const value = parseJson(ProviderValue, record.value)
      if (value === undefined) continue
      providers.push({ id: peerIdFromString(record.publisher), multiaddrs: parseAddrs(value.addrs) })
    }
    return providers
  }

  async put (key: string, value: string, options?: AbortOptions): Promise<void> {
    const keyId = chordId(key)
    const fields = { key, publisher: this.table.self.peer, value, expiresAt: this.now() + this.recordTtlMs }
    const record: ChordRecord = { keyId: idToHex(keyId), ...fields, signature: await signRecord(this.privateKey, fields) }
    // Ours from now on, whatever this first attempt gives: kept on disk and put again while we run, and
    // tried again at the next round if no node takes it now (a loaded ring may miss every deadline once).
    this.published.set(key, value)
    await this.store.saveOwn(key, value)
    try {
      const outcome = await this.client.lookup(keyId, options)
      let stored = 0
      for (const target of outcome.successors) {
        if (stored >= this.replicas) break
        if (await this.client.storeAt(target, [record], options)) stored++
      }
      if (stored === 0) throw new DhtLookupError(`no node took the record for ${key}`)
      this.republishFailed.delete(key)
    } catch (err) {
      this.republishFailed.add(key)
      throw err
    }
  }

  async get (key: string, options?: AbortOptions): Promise<DhtRecord[]> {
    const keyId = chordId(key)
    const outcome = await this.client.lookup(keyId, options)
    // The first replica with records speaks for the key. An empty answer may be a replica that has not
    // received its copy yet, so we ask the next ones too; "no records" is an answer only once as many
    // replicas as a put writes have said so (a replica that holds it may merely have been slow).
    let empty = 0
    for (const target of outcome.successors) {
      const records = await this.client.fetchFrom(target, keyId, options)
      if (records !== undefined && records.length > 0) return records.map(r => ({ publisher: r.publisher, value: r.value }))
      if (records !== undefined) empty++
    }
    if (empty < Math.min(this.replicas, outcome.successors.length)) throw new DhtLookupError(`only ${empty} replicas of ${key} answered`)
    return []
  }

  async findPeer (peerId: string, options?: AbortOptions): Promise<PeerInfo | undefined> {
    const id = peerIdFromString(peerId)
    const connected = this.node.getConnections(id)
    if (connected.length > 0) return { id, multiaddrs: connected.map(c => c.remoteAddr) }
    const outcome = await this.client.lookup(chordId(peerId), options)
    const found = outcome.successors.find(n => n.peer === peerId)
    return found === undefined ? undefined : { id, multiaddrs: parseAddrs(this.book.addrsOf(found.peer)) }
  }

  async lookup (key: string, options?: AbortOptions): Promise<LookupStats> {
    const started = performance.now()
    const target = chordId(key)
    const outcome = await this.client.lookup(target, options)
    return {
      key,
      target: idToHex(target),
      hops: outcome.hops,
      contacted: outcome.hops,
      ms: performance.now() - started,
      path: outcome.path.map(n => ({ peer: n.peer, id: idToHex(n.id) })),
      found: outcome.successors.map(n => ({ peer: n.peer, id: idToHex(n.id) }))
    }
  }

  summary (): RoutingTableSummary {
    return {
      mode: 'server',
      protocol: this.protocol,
      routingTableSize: this.table.knownNodes().length,
      buckets: [],
      ring: this.ring()
    }
  }

  onRoutingTableChange (listener: (size: number) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  ring (): ChordRingSummary {
    const wire = (n: NodeRef): { peer: string, id: string } => ({ peer: n.peer, id: idToHex(n.id) })
    const fingers: ChordRingSummary['fingers'] = []
    this.table.fingers.forEach((f, index) => {
      if (f !== undefined && f.peer !== fingers.at(-1)?.peer) fingers.push({ index, ...wire(f) })
    })
    return {
      self: wire(this.table.self),
      predecessor: this.table.predecessor === undefined ? null : wire(this.table.predecessor),
      successors: this.table.successors.filter(n => n.peer !== this.table.self.peer).map(wire),
      fingers
    }
  }

  /** Records expire unless put again: while we run, we put ours again before they do, and retry a failed one next round. */
  private async republish (): Promise<void> {
    if (this.table.successor.peer === this.table.self.peer) return // alone: no ring to put them on yet
    const due = new Set(this.republishFailed)
    if (this.now() - this.lastRepublish >= this.republishMs) {
      this.lastRepublish = this.now()
      for (const key of this.published.keys()) due.add(key)
    }
    for (const key of due) {
      const value = this.published.get(key)
      if (value === undefined) continue
      await this.put(key, value, { signal: this.lifetime.signal }).catch(err => {
        this.lifetime.signal.throwIfAborted()
        this.log(`chord: republishing ${key} failed (again next round): ${(err as Error).message}`)
      })
    }
  }
}

function parseJson<S extends z.ZodType> (schema: S, text: string): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
