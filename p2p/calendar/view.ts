// What the API shows of one calendar: events with their status, members with their sync state, and
// the log with stamps and CSNs. Pure: built from a replica and what the service knows of its peers.
import type { Replica } from './bayou/replica.ts'
import type { CalendarEvent, ReplicaRow } from './bayou/rows.ts'
import type { Op } from './bayou/ops.ts'
import { writeId } from './bayou/order.ts'
import { isAllDay, isRecurring } from './bayou/occurrences.ts'
import type { MemberSyncState } from './sync/schedule.ts'

/** The log is shown from its newest end, at most this many writes. */
export const MAX_WRITES_SHOWN = 500

export interface EventView {
  id: string
  title: string
  start: string
  end: string
  room: string
  /** All-day: start and end are the UTC midnights of its first day and of the day after its last. */
  allDay: boolean
  /** A series (a rule or extra dates): start and end are its first occurrence's. */
  recurring: boolean
  status: 'committed' | 'tentative' | 'conflict'
  /** What was asked for: the alternatives, in order. */
  alternatives: string[]
  author: string
  /**
   * A write on this event that now does something else than when it first ran here — a commit or an
   * earlier write reordered the log (e.g. "booked …10:00" became "booked …11:00" or a conflict).
   */
  changed: OutcomeChange | null
}

export interface OutcomeChange {
  /** The write's operation: reserve, move, edit or cancel. */
  op: string
  was: string
  now: string
}

export interface MemberView {
  replica: string
  peerId: string
  retired: boolean
  primary: boolean
  self: boolean
  online: boolean
  /** The highest accept-stamp we hold from this replica. */
  versionVectorEntry: number | null
  /** When a session with it last completed, either side starting it. */
  lastSync: string | null
  /**
   * Anti-entropy with it: `synced` (the last session worked), `unreachable` (the last attempt failed:
   * `unreachableReason` says why), `pending` (not tried yet since this peer started); `self` and
   * `retired` members are not synced with.
   */
  sync: 'self' | 'retired' | 'synced' | 'unreachable' | 'pending'
  /** Why the last attempt failed, in plain language with the error in brackets. */
  unreachableReason: string | null
  /** Attempts failed in a row (the wait before the next doubles with each, up to 2 minutes). */
  failedAttempts: number
  /** When the next session with it is due. */
  nextSync: string | null
}

export interface WriteView {
  id: string
  stamp: number
  replica: string
  csn: number | null
  author: string
  op: Op
  outcome: { ok: boolean, detail: string }
}

export interface CalendarView {
  id: string
  name: string
  replica: string
  primary: string
  members: MemberView[]
  versionVector: Record<string, number>
  highestCsn: number
  omittedCsn: number
  events: EventView[]
  writes: WriteView[]
  totalWrites: number
}

export interface PeerFacts {
  self: string
  online: (peerId: string) => boolean
  sync: (peerId: string) => Readonly<MemberSyncState> | undefined
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** Per event, the latest write on it whose outcome differs from its first one here. */
function outcomeChanges (replica: Replica): Map<string, OutcomeChange> {
  const changes = new Map<string, OutcomeChange>()
  for (const { write, outcome, firstOutcome } of replica.log()) {
    if (firstOutcome == null || firstOutcome.detail === outcome.detail) continue
    const op = write.op
    const eventId = op.kind === 'reserve' || op.kind === 'schedule' ? writeId(write) : 'eventId' in op ? op.eventId : null
    if (eventId != null) changes.set(eventId, { op: op.kind, was: firstOutcome.detail, now: outcome.detail })
  }
  return changes
}

export function eventViews (replica: Replica): EventView[] {
  const tentative = replica.tentativeEventIds()
  const changes = outcomeChanges(replica)
  return replica.database.rows<CalendarEvent>('events')
    .map(([, e]) => ({
      id: e.id,
      title: e.title,
      start: iso(e.start),
      end: iso(e.end),
      room: e.room,
      allDay: isAllDay(e),
      recurring: isRecurring(e),
      status: e.state === 'conflict' ? 'conflict' as const : tentative.has(e.id) ? 'tentative' as const : 'committed' as const,
      alternatives: e.alternatives.map(iso),
      author: e.author,
      changed: changes.get(e.id) ?? null
    }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
}

export function calendarView (replica: Replica, facts: PeerFacts): CalendarView {
  const vv = replica.versionVector()
  const members = replica.database.rows<ReplicaRow>('replicas').map(([id, row]): MemberView => {
    const self = id === replica.id
    const state = self || row.retired ? undefined : facts.sync(row.member)
    return {
      replica: id,
      peerId: row.member,
      retired: row.retired,
      primary: id === replica.primary,
      self,
      online: row.member === facts.self || facts.online(row.member),
      versionVectorEntry: vv[id] ?? null,
      lastSync: state?.lastSync == null ? null : iso(state.lastSync),
      sync: self ? 'self' : row.retired ? 'retired' : state?.reason != null ? 'unreachable' : state?.lastSync != null ? 'synced' : 'pending',
      unreachableReason: state?.reason ?? null,
      failedAttempts: state?.failures ?? 0,
      nextSync: state === undefined || state.running ? null : iso(state.due)
    }
  })
  const log = replica.log()
  return {
    id: replica.calendar,
    name: String(replica.database.get('meta', 'name') ?? ''),
    replica: replica.id,
    primary: replica.primary,
    members,
    versionVector: vv,
    highestCsn: replica.csn,
    omittedCsn: replica.osn,
    events: eventViews(replica),
    writes: log.slice(-MAX_WRITES_SHOWN).map(e => ({
      id: `${e.write.stamp}@${e.write.replica}`,
      stamp: e.write.stamp,
      replica: e.write.replica,
      csn: e.csn,
      author: e.write.author,
      op: e.write.op,
      outcome: e.outcome
    })),
    totalWrites: log.length + replica.osn
  }
}
