// The calendar service: the calendars this peer holds (a Bayou replica each), persisted write by write,
// the anti-entropy protocol's host, invites, and anti-entropy with every member on a schedule
// (sync/schedule.ts): periodically, when a member connects, after a local write, and on to the other
// members after a session brought something new.
import { randomBytes } from 'node:crypto'
import type { PeerId, Stream, Connection, IdentifyResult } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { TidepoolNode } from '../node/create-node.ts'
import { ON_RELAYED, openStream } from '../node/open-stream.ts'
import type { EventSink } from '../event-hub.ts'
import type { CalendarEvent as CalendarStreamEvent, CalendarSummary, CalendarView } from './api.ts'
import { calendarView } from './view.ts'
import { messageChannel, type MessageChannel } from '../wire/index.ts'
import { Replica, type ReceiveResult } from './bayou/replica.ts'
import type { Batch, Summary } from './bayou/messages.ts'
import { childReplicaId, writeId, type ReplicaId } from './bayou/order.ts'
import { Op, type Outcome } from './bayou/ops.ts'
import type { CommitNotice, Write } from './bayou/write.ts'
import type { Signer } from './bayou/signing.ts'
import { DEFAULT_ROOM } from './bayou/update-functions.ts'
import type { CalendarEvent, ReplicaRow } from './bayou/rows.ts'
import { CalendarError } from './errors.ts'
import { BayouError } from './bayou/errors.ts'
import { formatInvite, newSecret, parseInvite, secretHash } from './invite.ts'
import { parseIcsInWorker } from './ics/in-worker.ts'
import { importPlanner } from './ics/plan.ts'
import { toIcs } from './ics/export.ts'
import type { CalendarStore } from './store.ts'
import { answerSync, initiateSync, refuseOldVersion, type SyncHost, type SyncStats } from './sync/session.ts'
import { batchOf } from './sync/chunks.ts'
import { MAX_FRAME_BYTES, type DataFrame, type Opening } from './sync/protocol.ts'
import { AntiEntropySchedule, DEFAULT_SCHEDULE, explainFailure, type MemberSyncState, type ScheduleOptions } from './sync/schedule.ts'
import { SerialQueue } from './serial-queue.ts'
import { breather } from './breather.ts'

const DIAL_TIMEOUT_MS = 10_000
/** A local write, or news from a session, goes on to the members after this pause, so a burst goes in one session. */
const PUSH_DELAY_MS = 150
const SYNC_ATTEMPTS = 2
/** Committed writes kept in the log (so most peers get log entries, not the whole database). */
const KEEP_COMMITTED = 1000
/** Sync sessions answered at once (all peers together). */
const MAX_INBOUND_SYNCS = 32

interface Held {
  replica: Replica
  /** Every change to the replica (and its disk batch) runs one at a time. */
  queue: SerialQueue
  /** When to sync with each other active member, and how it went so far. */
  schedule: AntiEntropySchedule
  /**
   * Whether the calendar is on disk. A joining replica is written only with the first data it
   * receives, in that batch: a crash before then leaves nothing, and the same invite works again.
   */
  stored: boolean
  /**
   * Our replica retired, and a member has its `retire` since (a session completed, or a member refused
   * us as no longer a member): nothing is left to pass on, so we stop syncing this calendar.
   */
  retirementDelivered: boolean
}

function hold (replica: Replica, stored: boolean, schedule: ScheduleOptions): Held {
  return { replica, queue: new SerialQueue(), schedule: new AntiEntropySchedule(schedule), stored, retirementDelivered: false }
}

/**
 * Refuses role changes that would be written as no-ops or freeze the calendar: only the primary hands
 * off, to an active member; the primary retires only after handing off (else no one commits again).
 */
function checkRole (replica: Replica, op: Op): void {
  const isPrimary = replica.primary === replica.id
  if (op.kind === 'handoff') {
    if (!isPrimary) throw new CalendarError('not-primary', `only the primary (${replica.primary}) can hand off its role; this replica is ${replica.id}`)
    const target = replica.database.get<ReplicaRow>('replicas', op.to)
    if (target == null || target.retired || op.to === replica.id) throw new CalendarError('bad-handoff', `${op.to} is not another active member of the calendar`)
  }
  if (op.kind === 'retire' && isPrimary) throw new CalendarError('primary-must-hand-off', 'this replica is the primary: hand the role to another member before retiring')
}

/** An error's message, with those of the attempts inside it (a dial tries each address; ENETUNREACH is in there). */
function errorText (err: Error): string {
  const inner = err instanceof AggregateError ? [...new Set(err.errors.map(e => (e as Error).message))] : []
  return inner.length > 0 ? `${err.message}: ${inner.join('; ')}` : err.message
}

export interface PeerSyncResult { peerId: string, ok: boolean, error?: string, stats?: SyncStats }

export interface CalendarServiceOptions {
  store: CalendarStore
  node: TidepoolNode
  events: EventSink<CalendarStreamEvent>
  signer: Signer
  protocol: string
  /** Previous versions and their protocol ids: a peer still on one is refused with a reason saying so. */
  previousProtocols?: ReadonlyArray<{ version: string, protocol: string }>
  log: (line: string) => void
  /** Told of a sync stream a member opened that failed, with its sender (scored and logged by the node's conduct). */
  streamFailed: (peer: PeerId, err: Error) => void
  now?: () => number
  /** Anti-entropy timing (default DEFAULT_SCHEDULE, Math.random). */
  schedule?: Partial<ScheduleOptions>
}

export class CalendarService implements SyncHost {
  private readonly calendars = new Map<string, Held>()
  private readonly store: CalendarStore
  private readonly node: TidepoolNode
  private readonly events: EventSink<CalendarStreamEvent>
  private readonly signer: Signer
  private readonly protocol: string
  private readonly previousProtocols: ReadonlyArray<{ version: string, protocol: string }>
  private readonly log: (line: string) => void
  private readonly streamFailed: (peer: PeerId, err: Error) => void
  private readonly now: () => number
  private readonly running = new Map<string, Promise<PeerSyncResult>>()
  private readonly scheduleOptions: ScheduleOptions
  /** The one timer that runs the sessions due next, of every calendar. */
  private timer: NodeJS.Timeout | undefined
  private timerAt = Infinity
  private stopped = false

  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    if (!event.detail.protocols.includes(this.protocol)) return
    const peerId = event.detail.peerId.toString()
    for (const held of this.calendars.values()) held.schedule.reachable(peerId, this.now())
    this.wake()
  }

  constructor (options: CalendarServiceOptions) {
    this.store = options.store
    this.node = options.node
    this.events = options.events
    this.signer = options.signer
    this.protocol = options.protocol
    this.previousProtocols = options.previousProtocols ?? []
    this.log = options.log
    this.streamFailed = options.streamFailed
    this.now = options.now ?? Date.now
    this.scheduleOptions = { ...DEFAULT_SCHEDULE, random: Math.random, ...options.schedule }
  }

  async start (): Promise<void> {
    for (const record of await this.store.calendars()) {
      const replica = Replica.restore(this.signer, await this.store.load(record.id))
      const held = hold(replica, true, this.scheduleOptions)
      this.calendars.set(record.id, held)
      // Every member is due at once: a peer back after a while catches up with no one's help.
      this.refreshMembers(held)
    }
    await this.node.handle(this.protocol, async (stream: Stream, connection: Connection) => { await this.answer(stream, connection.remotePeer) }, { maxInboundStreams: MAX_INBOUND_SYNCS, ...ON_RELAYED })
    for (const { version, protocol } of this.previousProtocols) {
      await this.node.handle(protocol, async (stream: Stream) => {
        const channel = messageChannel(stream, { maxMessageBytes: 64 * 1024 })
        await refuseOldVersion(channel, version).catch(err => { channel.abort(err as Error) })
      }, { maxInboundStreams: MAX_INBOUND_SYNCS, ...ON_RELAYED })
    }
    this.node.addEventListener('peer:identify', this.onIdentify)
    this.wake()
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.node.removeEventListener('peer:identify', this.onIdentify)
    clearTimeout(this.timer)
    await this.node.unhandle(this.protocol)
    for (const { protocol } of this.previousProtocols) await this.node.unhandle(protocol)
    await Promise.allSettled([...this.running.values()])
    for (const held of this.calendars.values()) await held.queue.idle()
  }

  // ---- calendars ----

  get selfPeerId (): string {
    return this.node.peerId.toString()
  }

  ids (): string[] {
    return [...this.calendars.keys()]
  }

  replica (id: string): Replica {
    return this.held(id).replica
  }

  /** How anti-entropy with `peerId` goes for the calendar (undefined for us, retired or unknown members). */
  syncState (id: string, peerId: string): Readonly<MemberSyncState> | undefined {
    return this.calendars.get(id)?.schedule.state(peerId)
  }

  isConnected (peerId: string): boolean {
    return this.node.getConnections(peerIdFromString(peerId)).length > 0
  }

  /** The API's view of a calendar. */
  view (id: string): CalendarView {
    return calendarView(this.replica(id), { self: this.selfPeerId, online: peerId => this.isConnected(peerId), sync: peerId => this.syncState(id, peerId) })
  }

  /** One line per calendar held: the list the API shows. */
  summaries (): CalendarSummary[] {
    return this.ids().map(id => {
      const { name, replica, primary, highestCsn, events, members } = this.view(id)
      return { id, name, replica, primary, highestCsn, events: events.length, members: members.filter(m => !m.retired).length }
    })
  }

  async create (name: string): Promise<{ id: string, invite: string }> {
    const id = randomBytes(10).toString('hex')
    const replica = Replica.create({ calendar: id, name, signer: this.signer, now: this.now() })
    const held = hold(replica, false, this.scheduleOptions)
    this.calendars.set(id, held)
    await held.queue.run(async () => { await this.persist(id, held) })
    return { id, invite: await this.invite(id) }
  }

  /** A fresh invite: its secret's hash is recorded as a write first, so any member can admit the holder. */
  async invite (id: string): Promise<string> {
    const secret = newSecret()
    await this.write(id, { kind: 'invite', hash: secretHash(secret) })
    const self = { id: this.node.peerId.toString(), addrs: this.node.getMultiaddrs().map(a => a.toString()).slice(0, 16) }
    return formatInvite({ v: 1, calendar: id, secret, peers: [self] })
  }

  /** Joins with an invite: asks the members it names, in turn, to admit us, and receives the calendar. */
  async join (text: string): Promise<{ id: string }> {
    const invite = parseInvite(text)
    if (this.calendars.get(invite.calendar)?.stored === true) return { id: invite.calendar }
    const reasons: string[] = []
    for (const peer of invite.peers) {
      let peerId: PeerId
      try {
        peerId = peerIdFromString(peer.id)
        const addrs = peer.addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
        if (addrs.length > 0) await this.node.peerStore.merge(peerId, { multiaddrs: addrs })
      } catch (err) {
        reasons.push(`${peer.id}: ${(err as Error).message}`)
        continue
      }
      // A session cut off (a connection replaced by a newer one, say) is tried again, as in syncWith.
      for (let attempt = 0; attempt < SYNC_ATTEMPTS && !this.stopped; attempt++) {
        try {
          const channel = await this.open(peerId)
          const opening: Opening = { type: 'join', calendar: invite.calendar, secret: invite.secret }
          await initiateSync(channel, this, opening, async replicaId => {
            if (replicaId == null) throw new CalendarError('refused', 'the member admitted us without a replica id')
            const replica = Replica.joining({ calendar: invite.calendar, id: replicaId as ReplicaId, signer: this.signer })
            this.calendars.set(invite.calendar, hold(replica, false, this.scheduleOptions))
          })
          const held = this.held(invite.calendar)
          this.refreshMembers(held)
          held.schedule.answered(peer.id, this.now())
          this.wake()
          this.events.emit({ type: 'calendar:changed', calendarId: invite.calendar })
          return { id: invite.calendar }
        } catch (err) {
          if (err instanceof CalendarError && err.code === 'refused') throw err
          // Admitted, cut off, but some data is stored: we are a member; anti-entropy brings the rest.
          if (this.calendars.get(invite.calendar)?.stored === true) return { id: invite.calendar }
          // Nothing arrived: as if never admitted (the member admits us again under the same replica id).
          this.calendars.delete(invite.calendar)
          reasons.push(`${peer.id}: ${(err as Error).message}`)
          if (err instanceof CalendarError || err instanceof BayouError) break
        }
      }
    }
    throw new CalendarError('unreachable', `no member named in the invite could be reached (${reasons.join('; ')})`)
  }

  /** Issues one of our writes; acknowledged once it is on disk. */
  async write (id: string, op: Op): Promise<{ writeId: string, stamp: number, outcome: Outcome }> {
    const [issued] = await this.issueAll(id, [op])
    const { write, outcome } = issued as { write: Write, outcome: Outcome }
    return { writeId: writeId(write), stamp: write.stamp, outcome }
  }

  /**
   * Imports an .ics file (read in a worker thread): one write per event or series, all or none. An
   * event whose UID was imported before is updated ("all events"), not added again.
   */
  async importIcs (id: string, bytes: Uint8Array): Promise<{ imported: number, updated: number, conflicts: number, warnings: string[] }> {
    const parsed = await parseIcsInWorker(bytes)
    const rows = this.replica(id).database.rows<CalendarEvent>('events').map(([, e]) => e)
    const plan = importPlanner(rows)
    const ops: Op[] = []
    const breathe = breather() // 5,000 events take a while: the API answers meanwhile
    for (const event of parsed.events) {
      ops.push(plan(event))
      await breathe()
    }
    const issued = await this.issueAll(id, ops)
    const added = ops.filter(op => op.kind === 'schedule').length
    return { imported: added, updated: ops.length - added, conflicts: issued.filter(w => !w.outcome.ok).length, warnings: parsed.warnings }
  }

  /** Issues writes of ours in one atomic batch, then tells the UI and the connected members. */
  private async issueAll (id: string, ops: Op[]): Promise<Array<{ write: Write, outcome: Outcome }>> {
    const held = this.held(id)
    const issued = await held.queue.run(async () => {
      if (!held.replica.isActiveMember()) throw new CalendarError('not-member', 'this peer is not (or no longer) a member of the calendar')
      for (const op of ops) checkRole(held.replica, op)
      const results: Array<{ write: Write, outcome: Outcome, issued: CommitNotice[] }> = []
      const breathe = breather() // a big import: the API answers meanwhile
      for (const op of ops) {
        results.push(held.replica.issue(op, this.now()))
        await breathe()
      }
      await this.persist(id, held)
      return results
    })
    this.events.emit({ type: 'calendar:changed', calendarId: id })
    this.refreshMembers(held)
    this.pushOn(held, undefined)
    return issued
  }

  exportIcs (id: string): string {
    const replica = this.replica(id)
    const tentative = replica.tentativeEventIds()
    const events = replica.database.rows<CalendarEvent>('events').map(([, row]) => ({
      row,
      uid: row.uid ?? `${row.id}@${id}.tidepool`,
      tentative: row.state === 'conflict' || tentative.has(row.id)
    }))
    return toIcs(String(replica.database.get('meta', 'name') ?? ''), events, this.now())
  }

  /** Anti-entropy now, with one member or every other active member of the calendar. */
  async sync (id: string, peerId?: string): Promise<PeerSyncResult[]> {
    const replica = this.replica(id)
    const self = this.node.peerId.toString()
    const members = peerId != null
      ? [peerId]
      : [...new Set(replica.database.rows<ReplicaRow>('replicas').filter(([, row]) => !row.retired && row.member !== self).map(([, row]) => row.member))]
    return await Promise.all(members.map(async member => await this.syncWith(id, member)))
  }

  // ---- the sync host ----

  summary (calendar: string): Summary {
    return this.replica(calendar).summary()
  }

  batchFor (calendar: string, receiver: Summary): Batch {
    return this.replica(calendar).batchFor(receiver)
  }

  async apply (calendar: string, frame: DataFrame): Promise<ReceiveResult> {
    const held = this.held(calendar)
    const result = await held.queue.run(async () => {
      const received = held.replica.receive(batchOf(frame, calendar))
      await this.persist(calendar, held)
      return received
    })
    if (result.accepted > 0 || result.snapshot) this.refreshMembers(held)
    if (result.accepted > 0 || result.committed > 0 || result.snapshot) this.events.emit({ type: 'calendar:changed', calendarId: calendar })
    for (const change of result.changedOutcomes) {
      this.events.emit({ type: 'calendar:outcome-changed', calendarId: calendar, writeId: writeId(change.write), before: change.before.detail, after: change.after.detail })
    }
    return result
  }

  authorize (calendar: string, peerId: string): { ok: true } | { ok: false, code: 'not-member' | 'unknown-calendar', reason: string } {
    if (!this.calendars.has(calendar)) return { ok: false, code: 'unknown-calendar', reason: 'this peer holds no such calendar' }
    if (this.memberReplica(calendar, peerId) == null) return { ok: false, code: 'not-member', reason: 'you are not a member of this calendar: ask a member for an invite' }
    return { ok: true }
  }

  async admit (calendar: string, peerId: string, secret: string): Promise<{ ok: true, replica: string } | { ok: false, code: 'bad-invite' | 'unknown-calendar', reason: string }> {
    const held = this.calendars.get(calendar)
    if (held == null) return { ok: false, code: 'unknown-calendar', reason: 'this peer holds no such calendar' }
    if (held.replica.database.get('invites', secretHash(secret)) === undefined) return { ok: false, code: 'bad-invite', reason: 'this invite is not valid for the calendar' }
    const existing = this.memberReplica(calendar, peerId)
    if (existing != null) return { ok: true, replica: existing } // joining again after a crash
    const { stamp } = await this.write(calendar, { kind: 'join', member: peerId })
    return { ok: true, replica: childReplicaId(stamp, held.replica.id) }
  }

  // ---- internals ----

  /**
   * Writes what changed in one atomic batch. First, as Bayou devices do, the log keeps only the last
   * KEEP_COMMITTED committed writes; older ones live on in the database (peers behind get a snapshot).
   */
  private async persist (id: string, held: Held): Promise<void> {
    const replica = held.replica
    if (replica.csn - replica.osn > 2 * KEEP_COMMITTED) replica.truncate(replica.csn - KEEP_COMMITTED)
    try {
      await this.store.save({ id, replica: replica.id }, replica.takeChanges(), !held.stored)
    } catch (err) {
      // The change is in memory only, and takeChanges() has let go of it: a later batch would store
      // what follows without it. Go back to what is on disk (nothing, for a calendar never stored).
      if (held.stored) held.replica = Replica.restore(this.signer, await this.store.load(id))
      else this.calendars.delete(id)
      throw err
    }
    held.stored = true
  }

  private held (id: string): Held {
    const held = this.calendars.get(id)
    if (held == null) throw new CalendarError('unknown-calendar', `no calendar ${id} on this peer`)
    return held
  }

  /** The active replica `peerId` holds of the calendar, if it is a member. */
  private memberReplica (calendar: string, peerId: string): ReplicaId | undefined {
    const rows = this.calendars.get(calendar)?.replica.database.rows<ReplicaRow>('replicas') ?? []
    return rows.find(([, row]) => row.member === peerId && !row.retired)?.[0]
  }

  private async open (peerId: PeerId): Promise<MessageChannel> {
    const stream = await openStream(this.node, peerId, this.protocol, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
    return messageChannel(stream, { maxMessageBytes: MAX_FRAME_BYTES })
  }

  private async answer (stream: Stream, remote: PeerId): Promise<void> {
    const channel = messageChannel(stream, { maxMessageBytes: MAX_FRAME_BYTES })
    try {
      const stats = await answerSync(channel, this, remote.toString())
      const held = this.calendars.get(stats.calendar)
      if (held !== undefined) {
        held.schedule.answered(remote.toString(), this.now())
        this.noteSynced(held, stats.calendar, remote.toString(), stats)
        this.noteDelivered(held)
      }
    } catch (err) {
      this.streamFailed(remote, err as Error)
      channel.abort(err as Error)
    }
  }

  /** One session with one member at a time per calendar; a second request waits for the first. */
  private async syncWith (id: string, peerId: string): Promise<PeerSyncResult> {
    const key = `${id}/${peerId}`
    const previous = this.running.get(key)
    const next = (async (): Promise<PeerSyncResult> => {
      await previous?.catch(() => {})
      let error = 'stopping'
      let code: string | undefined
      // A session cut off (a connection replaced by a newer one, say) is simply run again: anti-entropy
      // is idempotent, and what the first attempt applied is kept.
      for (let attempt = 0; attempt < SYNC_ATTEMPTS && !this.stopped; attempt++) {
        try {
          const channel = await this.open(peerIdFromString(peerId))
          const stats = await initiateSync(channel, this, { type: 'hello', calendar: id, summary: this.summary(id) })
          const held = this.calendars.get(id)
          if (held !== undefined) {
            held.schedule.finished(peerId, { ok: true }, this.now())
            this.noteSynced(held, id, peerId, stats)
            this.noteDelivered(held)
          }
          return { peerId, ok: true, stats }
        } catch (err) {
          error = errorText(err as Error)
          code = (err as Error & { code?: string }).code ?? (err as Error).name
          // Refused as no longer a member: that member has our retirement already.
          const held = this.calendars.get(id)
          if (held !== undefined && err instanceof CalendarError && err.code === 'refused' && /not-member/.test(error)) this.noteDelivered(held)
          if (err instanceof CalendarError || err instanceof BayouError) break
        }
      }
      this.noteFailed(id, peerId, error, code)
      return { peerId, ok: false, error }
    })()
    this.running.set(key, next)
    void next.finally(() => { if (this.running.get(key) === next) this.running.delete(key) })
    return await next
  }

  private noteSynced (held: Held, id: string, peerId: string, stats: SyncStats): void {
    this.events.emit({ type: 'calendar:synced', calendarId: id, peerId, sent: stats.sentWrites + stats.sentCommits, received: stats.receivedWrites + stats.receivedCommits })
    // News (writes, or commits from the primary) goes on to the others: Bayou's chain of anti-entropy.
    if (stats.accepted > 0 || stats.committed > 0 || stats.snapshot) this.pushOn(held, peerId)
  }

  /** Logged and told to the UI when a member becomes unreachable or the reason changes, not at every retry. */
  private noteFailed (id: string, peerId: string, error: string, code: string | undefined): void {
    const schedule = this.calendars.get(id)?.schedule
    if (schedule === undefined || this.stopped) return
    const before = schedule.state(peerId)?.reason
    const reason = explainFailure(error, code)
    schedule.finished(peerId, { ok: false, reason }, this.now())
    if (reason === before) return
    this.log(`calendar ${id}: sync with ${peerId} failed: ${reason}`)
    this.events.emit({ type: 'calendar:unreachable', calendarId: id, peerId, reason })
  }

  /**
   * The schedule follows the calendar's active members (joins and retirements arrive as writes). A
   * retired replica keeps syncing until one member has its `retire`, as Bayou's retiring server does.
   */
  private refreshMembers (held: Held): void {
    const self = this.node.peerId.toString()
    const members = held.replica.database.rows<ReplicaRow>('replicas').filter(([, row]) => !row.retired && row.member !== self).map(([, row]) => row.member)
    const syncing = held.stored && (held.replica.isActiveMember() || !held.retirementDelivered)
    held.schedule.setMembers(syncing ? members : [], this.now())
  }

  private noteDelivered (held: Held): void {
    if (held.replica.isActiveMember() || held.retirementDelivered) return
    held.retirementDelivered = true
    this.refreshMembers(held)
  }

  /** Something new is here (from `source`, or written here): the other members get it shortly. */
  private pushOn (held: Held, source: string | undefined): void {
    held.schedule.forward(source, this.now() + PUSH_DELAY_MS)
    this.wake()
  }

  /** Sets the timer for the earliest session due, of every calendar. */
  private wake (): void {
    if (this.stopped) return
    let next = Infinity
    for (const held of this.calendars.values()) next = Math.min(next, held.schedule.nextDue() ?? Infinity)
    if (next === Infinity || (this.timer !== undefined && this.timerAt <= next)) return
    clearTimeout(this.timer)
    this.timerAt = next
    this.timer = setTimeout(() => { this.runDue() }, Math.max(0, next - this.now()))
  }

  private runDue (): void {
    this.timer = undefined
    this.timerAt = Infinity
    if (this.stopped) return
    const now = this.now()
    for (const [id, held] of this.calendars) {
      // A calendar still being joined has no data to offer yet; the join's own session fills it.
      if (!held.stored) continue
      for (const peerId of held.schedule.take(now)) void this.syncWith(id, peerId).finally(() => { this.wake() })
    }
    this.wake()
  }
}
