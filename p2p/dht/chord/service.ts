// Chord over libp2p: the Dht interface on /tidepool/<network>/chord/1.0.0. The routing rules are the
// pure ones in routing-table.ts and lookup.ts (the simulator runs the same); this file only moves their
// questions and answers over streams, runs the periodic maintenance and keeps records on disk.
// Lookups are iterative: the asker contacts every hop itself, each with a timeout.
import type { Libp2p, PeerId, PeerInfo, PrivateKey, Stream, Connection, IdentifyResult, AbortOptions } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Level } from 'level'
import type { CID } from 'multiformats/cid'
import { z } from 'zod'
import { messageChannel } from '../../wire/index.ts'
import type { ChordRingSummary, Dht, DhtRecord, LookupStats, RoutingTableSummary } from '../index.ts'
import { DhtLookupError } from '../index.ts'
import { TIDEPOOL_RING, chordId, idToHex } from './ring.ts'
import { ChordRoutingTable, type NodeRef, type StepAnswer } from './routing-table.ts'
import { runLookup, type LookupOutcome } from './lookup.ts'
import { RECORD_TTL_MS, ownedRecords, recordsToHandOver, type ChordRecord } from './records.ts'
import { ChordRecordStore } from './record-store.ts'
import { ContactFailures } from './contact-failures.ts'
import { chordProtocol } from '../../node/network-name.ts'
import {
  FetchResponse, MAX_ADDRS, MAX_MESSAGE_BYTES, MAX_RECORDS, NeighboursResponse, NotifyResponse, PingResponse, Request, StepResponse,
  StoreResponse, fromWire, verifiedRecord, stepFromWire, stepToWire, toWire, type ChordNode
} from './protocol.ts'
import { signRecord } from '../signed-records.ts'
import type { StoreLimits } from '../store-limits.ts'

export const DEFAULT_SUCCESSORS = 4
export const DEFAULT_REPLICAS = 3
export const DEFAULT_MAINTENANCE_MS = 1000
export const DEFAULT_RPC_TIMEOUT_MS = 3000
/** Fingers refreshed per maintenance round (fix-fingers), round robin over all 160. */
export const FINGERS_PER_ROUND = 8
/** Owners push their records to their successors every this many rounds. */
export const REPLICATE_EVERY_ROUNDS = 5
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
  now?: () => number
  log?: (line: string) => void
}

const ProviderValue = z.object({ addrs: z.array(z.string().max(256)).max(MAX_ADDRS) }).strict()

export class ChordDht implements Dht {
  readonly kind = 'chord'
  readonly protocol: string
  readonly table: ChordRoutingTable
  private readonly node: Libp2p
  private readonly privateKey: PrivateKey
  private readonly store: ChordRecordStore
  private readonly replicas: number
  private readonly maintenanceMs: number
  private readonly rpcTimeoutMs: number
  private readonly recordTtlMs: number
  private readonly republishMs: number
  /** What this peer has put (key → value), also on disk: put again every republishMs while the peer runs, and after a restart. */
  private readonly published = new Map<string, string>()
  private lastRepublish: number
  private readonly now: () => number
  private readonly log: (line: string) => void
  /** Addresses learned from the wire for nodes we may have to dial. */
  private readonly addrBook = new Map<string, string[]>()
  /** Connected peers that speak our chord protocol: whom a lone node joins through. */
  private readonly contacts = new Set<string>()
  private readonly listeners = new Set<(size: number) => void>()
  /** Failed contacts in a row per node: a node leaves the routing table at its second. */
  private readonly failures = new ContactFailures()
  /** When our predecessor last sent us a well-formed request: a predecessor heard from needs no ping. */
  private predecessorHeard: { peer: string, at: number } | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  /** The last maintenance round queued: rounds run one after another, whether the timer or a test asks. */
  private rounds: Promise<void> = Promise.resolve()
  private stopped = false
  private lastSize = 0
  private roundCount = 0

  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    if (!event.detail.protocols.includes(this.protocol)) return
    const peer = event.detail.peerId.toString()
    this.contacts.add(peer)
    // Its listen addresses, as it announced them: the ones we pass on when we name it to others.
    this.addrBook.set(peer, event.detail.listenAddrs.map(a => a.toString()).slice(0, MAX_ADDRS))
  }

  constructor (node: Libp2p, db: Level<string, Uint8Array>, options: ChordDhtOptions) {
    this.node = node
    this.privateKey = options.privateKey
    this.protocol = chordProtocol(options.network)
    this.store = new ChordRecordStore(db, options.storeLimits)
    this.replicas = options.replicas ?? DEFAULT_REPLICAS
    this.maintenanceMs = options.maintenanceMs ?? DEFAULT_MAINTENANCE_MS
    this.rpcTimeoutMs = options.rpcTimeoutMs ?? DEFAULT_RPC_TIMEOUT_MS
    this.recordTtlMs = options.recordTtlMs ?? RECORD_TTL_MS
    this.republishMs = options.republishMs ?? this.recordTtlMs / 2
    this.now = options.now ?? Date.now
    this.log = options.log ?? (() => {})
    this.lastRepublish = this.now()
    const self = node.peerId.toString()
    this.table = new ChordRoutingTable({ id: chordId(self), peer: self }, { space: TIDEPOOL_RING, successorListLength: options.successors ?? DEFAULT_SUCCESSORS })
  }

  async start (): Promise<void> {
    // Our own records from before a restart: put again at the first round that finds the ring.
    for (const [key, value] of await this.store.ownRecords()) this.published.set(key, value)
    if (this.published.size > 0) this.lastRepublish = -Infinity
    await this.node.handle(this.protocol, (stream, connection) => { void this.serve(stream, connection) }, { maxInboundStreams: 64 })
    this.node.addEventListener('peer:identify', this.onIdentify)
    this.schedule()
  }

  async stop (): Promise<void> {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.node.removeEventListener('peer:identify', this.onIdentify)
    await this.rounds
    await this.node.unhandle(this.protocol)
  }

  // ——— the Dht interface ———

  async provide (key: CID, options?: AbortOptions): Promise<void> {
    const addrs = this.ownAddrs()
    await this.put(key.toString(), JSON.stringify({ addrs }), options)
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

  async put (key: string, value: string, _options?: AbortOptions): Promise<void> {
    const keyId = chordId(key)
    const fields = { key, publisher: this.table.self.peer, value, expiresAt: this.now() + this.recordTtlMs }
    const record: ChordRecord = { keyId: idToHex(keyId), ...fields, signature: await signRecord(this.privateKey, fields) }
    const outcome = await this.lookupOutcome(keyId)
    let stored = 0
    for (const target of outcome.successors) {
      if (stored >= this.replicas) break
      if (await this.storeAt(target, [record])) stored++
    }
    if (stored === 0) throw new DhtLookupError(`no node took the record for ${key}`)
    this.published.set(key, value)
    await this.store.saveOwn(key, value)
  }

  async get (key: string, _options?: AbortOptions): Promise<DhtRecord[]> {
    const keyId = chordId(key)
    const outcome = await this.lookupOutcome(keyId)
    // The first replica with records speaks for the key. An empty answer may be a replica that has not
    // received its copy yet, so we ask the next ones too; "no records" is an answer only once as many
    // replicas as a put writes have said so (a replica that holds it may merely have been slow).
    let empty = 0
    for (const target of outcome.successors) {
      const records = await this.fetchFrom(target, keyId)
      if (records !== undefined && records.length > 0) return records.map(r => ({ publisher: r.publisher, value: r.value }))
      if (records !== undefined) empty++
    }
    if (empty < Math.min(this.replicas, outcome.successors.length)) throw new DhtLookupError(`only ${empty} replicas of ${key} answered`)
    return []
  }

  async findPeer (peerId: string, _options?: AbortOptions): Promise<PeerInfo | undefined> {
    const id = peerIdFromString(peerId)
    const connected = this.node.getConnections(id)
    if (connected.length > 0) return { id, multiaddrs: connected.map(c => c.remoteAddr) }
    const outcome = await this.lookupOutcome(chordId(peerId))
    const found = outcome.successors.find(n => n.peer === peerId)
    return found === undefined ? undefined : { id, multiaddrs: parseAddrs(this.addrsOf(found.peer)) }
  }

  async lookup (key: string, _options?: AbortOptions): Promise<LookupStats> {
    const started = this.now()
    const target = chordId(key)
    const outcome = await this.lookupOutcome(target)
    return {
      key,
      target: idToHex(target),
      hops: outcome.hops,
      contacted: outcome.hops,
      ms: this.now() - started,
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

  // ——— routing over the network ———

  private async lookupOutcome (key: bigint, from: ChordRoutingTable = this.table): Promise<LookupOutcome & { ok: true }> {
    // Nodes that failed are avoided for the rest of this lookup; call() counts the failure and
    // forgets a node at its second in a row.
    const outcome = await runLookup(from, key, async request => await this.askStep(request.to, request.key, request.avoid))
    if (!outcome.ok) throw new DhtLookupError(`lookup of ${idToHex(key)} failed: ${outcome.reason} after ${outcome.hops} hops`)
    return outcome
  }

  private async askStep (to: NodeRef, key: bigint, avoid: ReadonlySet<string>): Promise<StepAnswer | undefined> {
    if (to.peer === this.table.self.peer) return this.table.step(key, avoid)
    const response = await this.call(to, { type: 'step', key: idToHex(key), avoid: [...avoid] }, StepResponse)
    if (response === undefined) return undefined
    try {
      const answer = stepFromWire(response)
      if (answer.kind === 'found') answer.successors.forEach(n => { this.learn(n as ChordNode) })
      if (answer.kind === 'next') this.learn(answer.node as ChordNode)
      return answer
    } catch (err) {
      this.log(`chord: ${to.peer} answered with a lying node: ${(err as Error).message}`)
      this.table.forget(to.peer)
      return undefined
    }
  }

  private async storeAt (target: NodeRef, records: ChordRecord[]): Promise<boolean> {
    if (target.peer === this.table.self.peer) {
      await this.store.putMany(records, this.now())
      return true
    }
    for (let i = 0; i < records.length; i += MAX_RECORDS) {
      const response = await this.call(target, { type: 'store', records: records.slice(i, i + MAX_RECORDS) }, StoreResponse)
      if (response === undefined) return false
    }
    return true
  }

  private async fetchFrom (target: NodeRef, keyId: bigint): Promise<ChordRecord[] | undefined> {
    if (target.peer === this.table.self.peer) return await this.store.get(idToHex(keyId), this.now())
    const response = await this.call(target, { type: 'fetch', keyId: idToHex(keyId) }, FetchResponse)
    if (response === undefined) return undefined
    const records: ChordRecord[] = []
    for (const wire of response.records) {
      try {
        if (wire.keyId === idToHex(keyId)) records.push(await verifiedRecord(wire, this.now(), this.recordTtlMs))
      } catch (err) {
        this.log(`chord: ${target.peer} sent a record we refuse: ${(err as Error).message}`)
      }
    }
    return records
  }

  /**
   * One request/response with a node; undefined if it cannot be reached, times out or breaks the
   * protocol. A stream that closes under us before an answer (a connection being replaced) is retried once.
   */
  private async call<S extends z.ZodType> (to: NodeRef, request: Request, schema: S): Promise<z.infer<S> | undefined> {
    let outcome = await this.callOnce(to, request, schema)
    if (!outcome.ok && outcome.retry) outcome = await this.callOnce(to, request, schema)
    if (outcome.ok) {
      this.failures.answered(to.peer)
      return outcome.response
    }
    if (this.failures.failed(to.peer)) {
      this.log(`chord: forgetting ${to.peer} after failed contacts`)
      this.table.forget(to.peer)
    }
    return undefined
  }

  private async callOnce<S extends z.ZodType> (to: NodeRef, request: Request, schema: S): Promise<{ ok: true, response: z.infer<S> } | { ok: false, retry: boolean }> {
    try {
      const peerId = peerIdFromString(to.peer)
      await this.rememberAddrs(peerId, to.peer)
      const signal = AbortSignal.timeout(this.rpcTimeoutMs)
      const stream = await this.node.dialProtocol(peerId, this.protocol, { signal })
      const channel = messageChannel(stream, { maxMessageBytes: MAX_MESSAGE_BYTES, timeoutMs: this.rpcTimeoutMs })
      await channel.write(request, { signal })
      const response = await channel.read(schema, { signal })
      await channel.close({ signal })
      return { ok: true, response }
    } catch (err) {
      this.log(`chord: ${request.type} to ${to.peer} failed: ${(err as Error).message}`)
      const e = err as Error & { code?: string }
      return { ok: false, retry: e.name === 'StreamStateError' || e.code === 'closed' || /stream (that )?is closed|has been reset/.test(e.message) }
    }
  }

  private async rememberAddrs (peerId: PeerId, peer: string): Promise<void> {
    if (this.node.getConnections(peerId).length > 0) return
    const addrs = parseAddrs(this.addrBook.get(peer) ?? [])
    if (addrs.length > 0) await this.node.peerStore.merge(peerId, { multiaddrs: addrs })
  }

  private learn (node: ChordNode): void {
    if (node.peer !== this.table.self.peer && node.addrs.length > 0) this.addrBook.set(node.peer, node.addrs.slice(0, MAX_ADDRS))
  }

  /** Addresses to pass on for a node: never a connection's remote address, which may be an ephemeral port. */
  private addrsOf (peer: string): string[] {
    if (peer === this.table.self.peer) return this.ownAddrs()
    return this.addrBook.get(peer) ?? []
  }

  private ownAddrs (): string[] {
    return this.node.getMultiaddrs().map(a => a.toString()).slice(0, MAX_ADDRS)
  }

  // ——— serving ———

  private async serve (stream: Stream, connection: Connection): Promise<void> {
    const channel = messageChannel(stream, { maxMessageBytes: MAX_MESSAGE_BYTES, timeoutMs: this.rpcTimeoutMs })
    const remote = connection.remotePeer.toString()
    try {
      const request = await channel.read(Request)
      if (remote === this.table.predecessor?.peer) this.predecessorHeard = { peer: remote, at: Date.now() }
      await channel.write(await this.answer(request, remote))
      await channel.close()
    } catch (err) {
      this.log(`chord: request from ${remote} refused: ${(err as Error).message}`)
      channel.abort(err as Error)
    }
  }

  private async answer (request: Request, remote: string): Promise<unknown> {
    const addrsOf = (peer: string): string[] => this.addrsOf(peer)
    switch (request.type) {
      case 'step':
        return stepToWire(this.table.step(BigInt(`0x${request.key}`), new Set(request.avoid)), addrsOf)
      case 'neighbours':
        return {
          predecessor: this.table.predecessor === undefined ? null : toWire(this.table.predecessor, addrsOf),
          successors: this.table.successors.map(n => toWire(n, addrsOf))
        }
      case 'notify': {
        // The candidate is whoever is on the other end of this authenticated connection, at the id its
        // peer id hashes to: nobody can claim a place on the ring for someone else.
        const candidate: NodeRef = { id: chordId(remote), peer: remote }
        const previous = this.table.predecessor
        const accepted = this.table.notify(candidate)
        if (accepted) {
          this.addrBook.set(remote, request.addrs)
          void this.handOver(previous, candidate)
        }
        return { accepted }
      }
      case 'ping':
        return { pong: true }
      case 'store': {
        const now = this.now()
        const records = await Promise.all(request.records.map(async r => await verifiedRecord(r, now, this.recordTtlMs)))
        return { stored: await this.store.putMany(records, now) }
      }
      case 'fetch':
        return { records: await this.store.get(request.keyId, this.now()) }
    }
  }

  /** A node joined in front of us: the records now in its arc go to it (the lecture's key transfer on join). */
  private async handOver (previous: NodeRef | undefined, joined: NodeRef): Promise<void> {
    const records = recordsToHandOver(await this.store.all(this.now()), this.table.space, previous, joined, this.table.self)
    if (records.length > 0) await this.storeAt(joined, records)
  }

  // ——— maintenance: join, stabilize, check-predecessor, fix-fingers, replicate, expire ———

  private schedule (): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.maintain()
        .catch(err => { this.log(`chord: maintenance failed: ${(err as Error).message}`) })
        .finally(() => { this.schedule() })
    }, this.maintenanceMs)
  }

  /**
   * One maintenance round, after any round already running; exposed so tests can wait for a whole
   * round (e.g. "a join attempt has been made") instead of sleeping.
   */
  async maintain (): Promise<void> {
    const round = this.rounds.then(async () => { await this.maintainOnce() })
    this.rounds = round.catch(() => {})
    await round
  }

  private async maintainOnce (): Promise<void> {
    await this.joinIfAlone()
    await this.checkPredecessor()
    await this.stabilize()
    await this.fixFingers()
    if (this.roundCount++ % REPLICATE_EVERY_ROUNDS === 0) await this.replicate()
    await this.republish()
    const size = this.table.knownNodes().length
    if (size !== this.lastSize) {
      this.lastSize = size
      for (const listener of this.listeners) listener(size)
    }
  }

  /** Join (lecture: look up our own id through any node of the ring) while we know nobody. */
  private async joinIfAlone (): Promise<void> {
    if (this.table.successor.peer !== this.table.self.peer) return
    for (const contact of this.contacts) {
      // The lookup starts from a scratch table that knows only the contact, so a contact that fails
      // or lies never enters our own routing state.
      const scratch = new ChordRoutingTable(this.table.self, { space: this.table.space, successorListLength: this.table.successorListLength })
      scratch.join({ id: chordId(contact), peer: contact })
      try {
        const outcome = await this.lookupOutcome(this.table.self.id, scratch)
        const successor = outcome.successors.find(n => n.peer !== this.table.self.peer)
        if (successor !== undefined) {
          this.table.join(successor)
          await this.notify(successor)
          return
        }
      } catch (err) {
        this.log(`chord: joining through ${contact} failed: ${(err as Error).message}`)
      }
      this.contacts.delete(contact)
    }
  }

  private async notify (successor: NodeRef): Promise<void> {
    await this.call(successor, { type: 'notify', addrs: this.ownAddrs() }, NotifyResponse)
  }

  private async checkPredecessor (): Promise<void> {
    const predecessor = this.table.predecessor
    if (predecessor === undefined) return
    // A live predecessor stabilizes against us every round: if we heard from it since the last round,
    // it is alive and the ping is saved (a stream fewer per node per round).
    const heard = this.predecessorHeard
    if (heard?.peer === predecessor.peer && Date.now() - heard.at < 2 * this.maintenanceMs) return
    // A predecessor that fails twice in a row is forgotten by call(), which clears it here too.
    await this.call(predecessor, { type: 'ping' }, PingResponse)
  }

  private async stabilize (): Promise<void> {
    for (let attempt = 0; attempt <= this.table.successorListLength; attempt++) {
      const successor = this.table.successor
      if (successor.peer === this.table.self.peer) return
      const response = await this.call(successor, { type: 'neighbours' }, NeighboursResponse)
      let neighbours: { predecessor: ChordNode | undefined, successors: ChordNode[] } | undefined
      try {
        neighbours = response === undefined ? undefined : { predecessor: response.predecessor === null ? undefined : fromWire(response.predecessor), successors: response.successors.map(fromWire) }
      } catch (err) {
        this.log(`chord: successor ${successor.peer} named a lying node: ${(err as Error).message}`)
      }
      if (neighbours === undefined) {
        // A lying successor goes at once; one that did not answer, once call() has forgotten it.
        // Either way the next one on the list takes its place; otherwise we try it again next round.
        if (response !== undefined) this.table.forget(successor.peer)
        if (this.table.successor.peer === successor.peer) return
        continue
      }
      for (const n of [...neighbours.successors, ...(neighbours.predecessor === undefined ? [] : [neighbours.predecessor])]) this.learn(n)
      const next = this.table.stabilize(neighbours.predecessor, neighbours.successors)
      // Notify only a successor that does not already have us as its predecessor (it would change nothing).
      if (next.peer !== successor.peer || neighbours.predecessor?.peer !== this.table.self.peer) await this.notify(next)
      return
    }
  }

  private async fixFingers (): Promise<void> {
    let covering: NodeRef | undefined
    for (let i = 0; i < FINGERS_PER_ROUND; i++) {
      const { index, start } = this.table.nextFingerToFix()
      if (covering === undefined || !this.table.space.betweenRightInclusive(start, this.table.self.id, covering.id)) {
        if (this.table.space.betweenRightInclusive(start, this.table.self.id, this.table.successor.id)) {
          covering = this.table.successor
        } else {
          try {
            covering = (await this.lookupOutcome(start)).successors[0]
          } catch {
            covering = undefined
          }
        }
      }
      this.table.setFinger(index, covering)
    }
  }

  /** Records expire unless put again: while we run, we put ours again before they do. */
  private async republish (): Promise<void> {
    if (this.table.successor.peer === this.table.self.peer) return // alone: no ring to put them on yet
    if (this.now() - this.lastRepublish < this.republishMs) return
    this.lastRepublish = this.now()
    for (const [key, value] of this.published) {
      await this.put(key, value).catch(err => { this.log(`chord: republishing ${key} failed: ${(err as Error).message}`) })
    }
  }

  /** Owners push their records to the next replicas-1 successors (re-replicating after failures); expired records go. */
  private async replicate (): Promise<void> {
    const now = this.now()
    await this.store.expire(now)
    if (this.table.predecessor === undefined) return
    const owned = ownedRecords(await this.store.all(now), this.table)
    if (owned.length === 0) return
    for (const target of this.table.successors.slice(0, this.replicas - 1)) {
      if (target.peer !== this.table.self.peer) await this.storeAt(target, owned)
    }
  }
}

function parseAddrs (texts: readonly string[]): Multiaddr[] {
  const out: Multiaddr[] = []
  for (const text of texts) {
    try { out.push(multiaddr(text)) } catch { /* a malformed address is skipped */ }
  }
  return out
}

function parseJson<S extends z.ZodType> (schema: S, text: string): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
