// The update functions of events made by `schedule` (one-off or recurring) and of their three kinds of
// change — "this occurrence", "this and following", "all events" — with their dependency checks and
// merge procedures. What makes concurrent offline edits keep both intentions:
//
// - An occurrence is named by the wall-clock start the series gives it (its RECURRENCE-ID), together
//   with how many "all events" changes the author had seen (`rev`). Each such change records how far
//   it moved DTSTART (`shifts`), and moves the series' exceptions along. So when a cancel of the 10:00
//   occurrence runs after the series was moved to 11:00 (in whatever order the writes reached this
//   replica, the log order decides), the merge procedure adds the later shifts and cancels the 11:00.
// - A "this and following" ends the series before an occurrence and starts a continuation there; a
//   write about a later occurrence of the old series is sent on to the continuation.
// - An "all events" change of the rule drops exceptions that no longer fall on an occurrence (there is
//   nothing left for them to change): the one case where an earlier edit is not kept.
//
// Room conflicts are checked occurrence by occurrence, against everything booked before in log order,
// from the write's stamp (a day back) for SERIES_HORIZON; an occurrence that collides is kept and marked.
import type { Database, UndoRecord } from './database.ts'
import type { Override, Recurrence, SeriesChanges } from './fields.ts'
import type { Op, Outcome } from './ops.ts'
import { writeId, type ReplicaId } from './order.ts'
import type { CalendarEvent } from './rows.ts'
import { instantOf, rowOccurrences } from './occurrences.ts'
import { MAX_CHECKED, saveEvent, slotFree } from './slots.ts'
import { expand } from '../recurrence/expand.ts'
import { DAY, MINUTE, formatLocal } from '../recurrence/civil.ts'
import { toLocal } from '../recurrence/zone.ts'

/** How far ahead a series' occurrences are checked for room conflicts (and indexed). */
export const SERIES_HORIZON = 366 * DAY

type Schedule = Extract<Op, { kind: 'schedule' }>
type OccurrenceOp = Extract<Op, { kind: 'occurrence' }>
type Following = Extract<Op, { kind: 'following' }>
type AllEvents = Extract<Op, { kind: 'series' }>
interface Writer { stamp: number, replica: ReplicaId, author: string }

const sortedUnique = (values: readonly number[]): number[] => [...new Set(values)].sort((a, b) => a - b)

/**
 * Which of `keys` are occurrences of the series as it stands (not cancelled, not handed on): one
 * expansion over the span they cover, however many there are (a series can carry thousands).
 */
function occurrencesAmong (rec: Recurrence, keys: readonly number[]): Set<number> {
  const candidates = keys.filter(k => !rec.exdates.includes(k) && (rec.endsBefore === undefined || k < rec.endsBefore))
  if (candidates.length === 0) return new Set()
  const from = instantOf(rec, Math.min(...candidates))
  const to = instantOf(rec, Math.max(...candidates)) + 1
  const found = expand({ start: rec.start, rule: rec.rule, rdates: rec.rdates }, rec.zone, { from, to, durationMs: 0 }).occurrences
  const wanted = new Set(candidates)
  return new Set(found.map(o => o.local).filter(local => wanted.has(local)))
}

function hasOccurrence (rec: Recurrence, key: number): boolean {
  return occurrencesAmong(rec, [key]).has(key)
}

/** The row with its horizon set and each occurrence in it checked against its room's earlier bookings. */
function checked (db: Database, row: CalendarEvent, stamp: number): CalendarEvent {
  const rec = row.recurrence as Recurrence
  const recurring = rec.rule !== undefined || rec.rdates.length > 0
  const from = recurring ? Math.max(row.start, stamp - DAY) : row.start
  const horizon: [number, number] = [from, recurring ? from + SERIES_HORIZON : Math.max(row.end, row.start + 1)]
  const probe: CalendarEvent = { ...row, recurrence: { ...rec, conflicts: [], horizon } }
  if (rec.zone == null) return probe // all-day: takes no room
  const conflicts = rowOccurrences(probe, horizon[0], horizon[1], MAX_CHECKED).occurrences
    .filter(o => !slotFree(db, o.room, o.start, o.end, row.id))
    .map(o => o.key)
  return { ...probe, recurrence: { ...rec, conflicts, horizon } }
}

function outcome (row: CalendarEvent, what: string): Outcome {
  const n = row.recurrence?.conflicts.length ?? 0
  return n === 0 ? { ok: true, detail: what } : { ok: false, detail: `${what}; ${n === 1 ? 'an occurrence collides' : `${n} occurrences collide`} with another booking` }
}

function save (db: Database, before: CalendarEvent | undefined, row: CalendarEvent, stamp: number, undo: UndoRecord[]): CalendarEvent {
  const after = checked(db, row, stamp)
  saveEvent(db, row.id, before, after, undo)
  return after
}

const keyed = (overrides: Record<string, Override>, keep: (key: number) => number | null): Record<string, Override> => {
  const out: Record<string, Override> = {}
  for (const [key, o] of Object.entries(overrides)) {
    const next = keep(Number(key))
    if (next != null) out[String(next)] = o
  }
  return out
}

/** A series changed as a whole: exceptions move with DTSTART; those no longer on an occurrence go. */
export function applyChanges (row: CalendarEvent, changes: SeriesChanges): CalendarEvent {
  const rec = row.recurrence as Recurrence
  const start = changes.start ?? rec.start
  const delta = start - rec.start
  const rule = changes.rule === null ? undefined : changes.rule ?? rec.rule
  const moved: Recurrence = {
    start,
    zone: changes.zone !== undefined ? changes.zone : rec.zone,
    ...(rule !== undefined ? { rule } : {}),
    rdates: rec.rdates.map(d => d + delta),
    exdates: [],
    overrides: {},
    ...(rec.endsBefore !== undefined ? { endsBefore: rec.endsBefore + delta, continuedBy: rec.continuedBy } : {}),
    shifts: [...rec.shifts, delta],
    conflicts: [],
    horizon: rec.horizon
  }
  if (changes.rdates !== undefined) moved.rdates = sortedUnique(changes.rdates)
  const exdates = changes.exdates ?? rec.exdates.map(d => d + delta)
  const overrides = changes.overrides ?? keyed(rec.overrides, key => key + delta)
  const kept = occurrencesAmong(moved, [...exdates, ...Object.keys(overrides).map(Number)])
  moved.exdates = exdates.filter(d => kept.has(d))
  moved.overrides = keyed(overrides, key => kept.has(key) ? key : null)
  moved.exdates = sortedUnique(moved.exdates)
  const first = instantOf(moved, start)
  const { start: _s, zone: _z, rule: _r, durationMinutes, rdates: _rd, exdates: _ex, overrides: _ov, reminderMinutes, ...fields } = changes
  const { reminderMinutes: before, ...rest } = row
  const reminder = reminderMinutes === null ? undefined : reminderMinutes ?? before
  return {
    ...rest,
    ...(reminder !== undefined ? { reminderMinutes: reminder } : {}),
    ...fields,
    start: first,
    end: first + (durationMinutes !== undefined ? durationMinutes * MINUTE : row.end - row.start),
    alternatives: [first],
    recurrence: moved
  }
}

/**
 * Finds the occurrence a write names: moved by the "all events" changes made since the author's
 * `rev` (merge procedure), and followed into the continuation of a "this and following".
 */
function locate (db: Database, eventId: string, occurrence: number, rev: number): { row: CalendarEvent, key: number } | string {
  let row = db.get<CalendarEvent>('events', eventId)
  let key = occurrence
  let seen = rev
  for (let hops = 0; row != null; hops++) {
    const rec = row.recurrence
    if (rec == null) return 'not an event made by schedule'
    key += rec.shifts.slice(Math.min(seen, rec.shifts.length)).reduce((a, b) => a + b, 0)
    if (rec.endsBefore === undefined || key < rec.endsBefore || rec.continuedBy === undefined || hops > 1000) return { row, key }
    row = db.get<CalendarEvent>('events', rec.continuedBy)
    seen = 0
  }
  return 'no such event'
}

export function executeSchedule (db: Database, w: Writer, op: Schedule, undo: UndoRecord[]): Outcome {
  const { kind: _k, title, room, start, zone, durationMinutes, rule, rdates, exdates, overrides, uid, ...details } = op
  const recurrence: Recurrence = {
    start,
    zone,
    ...(rule !== undefined ? { rule } : {}),
    rdates: sortedUnique(rdates ?? []),
    exdates: sortedUnique(exdates ?? []),
    overrides: {},
    shifts: [],
    conflicts: [],
    horizon: [0, 0]
  }
  const kept = occurrencesAmong(recurrence, Object.keys(overrides ?? {}).map(Number))
  recurrence.overrides = keyed(overrides ?? {}, key => kept.has(key) ? key : null)
  const first = instantOf(recurrence, start)
  const id = writeId(w)
  const row: CalendarEvent = { id, title, start: first, end: first + durationMinutes * MINUTE, room, state: 'booked', alternatives: [first], author: w.author, replica: w.replica, recurrence, ...(uid !== undefined ? { uid } : {}), ...details }
  return outcome(save(db, undefined, row, w.stamp, undo), 'scheduled')
}

/** The occurrence a write is about, found by `locate` and still in its series; else why not. */
function target (db: Database, op: OccurrenceOp | Following): { row: CalendarEvent, key: number, rec: Recurrence } | Outcome {
  const found = locate(db, op.eventId, op.occurrence, op.rev)
  if (typeof found === 'string') return { ok: false, detail: found }
  const rec = found.row.recurrence as Recurrence
  if (!hasOccurrence(rec, found.key)) return { ok: false, detail: 'that occurrence is no longer in the series' }
  return { ...found, rec }
}

export function executeOccurrence (db: Database, w: Writer, op: OccurrenceOp, undo: UndoRecord[]): Outcome {
  const found = target(db, op)
  if ('ok' in found) return found
  const { row, key, rec } = found
  const overrides = { ...rec.overrides }
  delete overrides[String(key)]
  const next: Recurrence = op.cancel === true
    ? { ...rec, exdates: sortedUnique([...rec.exdates, key]), overrides }
    : { ...rec, overrides: { ...overrides, [String(key)]: { ...rec.overrides[String(key)], ...op.change } } }
  return outcome(save(db, row, { ...row, recurrence: next }, w.stamp, undo), op.cancel === true ? `cancelled the occurrence of ${formatLocal(key)}` : `changed the occurrence of ${formatLocal(key)}`)
}

/** How many instances the rule gives before `key`: what COUNT has used up when the series is split there. */
function instancesBefore (rec: Recurrence, key: number): number {
  if (rec.rule == null) return 0
  const from = instantOf(rec, rec.start)
  return expand({ start: rec.start, rule: rec.rule }, rec.zone, { from, to: instantOf(rec, key), durationMs: 0 }, rec.rule.count).occurrences.length
}

export function executeFollowing (db: Database, w: Writer, op: Following, undo: UndoRecord[]): Outcome {
  const found = target(db, op)
  if ('ok' in found) return found
  const { row, key, rec } = found
  if (key === rec.start) return outcome(save(db, row, applyChanges(row, op.changes), w.stamp, undo), 'changed all events')
  const id = writeId(w)
  const later = (k: number): boolean => k >= key
  const count = rec.rule?.count !== undefined ? rec.rule.count - instancesBefore(rec, key) : undefined
  const rest: Recurrence = {
    start: key,
    zone: rec.zone,
    ...(rec.rule !== undefined ? { rule: { ...rec.rule, ...(count !== undefined ? { count } : {}) } } : {}),
    rdates: rec.rdates.filter(later),
    exdates: rec.exdates.filter(later),
    overrides: keyed(rec.overrides, k => later(k) ? k : null),
    ...(rec.endsBefore !== undefined ? { endsBefore: rec.endsBefore, continuedBy: rec.continuedBy } : {}),
    shifts: [],
    conflicts: [],
    horizon: [0, 0]
  }
  const head: Recurrence = { ...rec, rdates: rec.rdates.filter(k => !later(k)), exdates: rec.exdates.filter(k => !later(k)), overrides: keyed(rec.overrides, k => later(k) ? null : k), endsBefore: key, continuedBy: id }
  save(db, row, { ...row, recurrence: head }, w.stamp, undo)
  const first = instantOf(rest, key)
  const { uid, ...base } = row
  const continuation: CalendarEvent = {
    ...base,
    id,
    start: first,
    end: first + row.end - row.start,
    alternatives: [first],
    author: w.author,
    replica: w.replica,
    recurrence: rest,
    // As calendar apps do: the continuation is a series of its own, with a UID derived from the old one.
    ...(uid !== undefined ? { uid: `${uid}_R${formatLocal(key, rec.zone == null)}` } : {})
  }
  return outcome(save(db, undefined, applyChanges(continuation, op.changes), w.stamp, undo), `changed this and following from ${formatLocal(key)}`)
}

export function executeAllEvents (db: Database, w: Writer, op: AllEvents, undo: UndoRecord[]): Outcome {
  const row = db.get<CalendarEvent>('events', op.eventId)
  if (row == null) return { ok: false, detail: 'no such event' }
  if (row.recurrence == null) return { ok: false, detail: 'not an event made by schedule' }
  return outcome(save(db, row, applyChanges(row, op.changes), w.stamp, undo), 'changed all events')
}

/** `move` and `edit` on an event made by schedule: a change of the whole event (a series has no one start to move). */
export function moveOrEdit (db: Database, w: Writer, row: CalendarEvent, changes: { start?: number, durationMinutes?: number, title?: string, room?: string }, undo: UndoRecord[]): Outcome {
  const rec = row.recurrence as Recurrence
  if (changes.start !== undefined && (rec.rule !== undefined || rec.rdates.length > 0)) return { ok: false, detail: 'a series: move one occurrence, this and following, or all events' }
  const { start, ...rest } = changes
  const local = start === undefined ? undefined : rec.zone == null ? start : toLocal(rec.zone, start)
  return outcome(save(db, row, applyChanges(row, { ...rest, ...(local !== undefined ? { start: local } : {}) }), w.stamp, undo), 'changed')
}
