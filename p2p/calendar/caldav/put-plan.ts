// What a client's PUT writes, as Bayou writes (pure). A client sends the whole resource each time, so
// the narrowest writes that turn the stored event into the sent one are issued: concurrent edits on
// other peers merge best that way (an occurrence cancelled here and the series moved there both stay).
//   new, one-off          → reserve (as the UI books)
//   new, recurring        → schedule (a series, its EXDATEs and RECURRENCE-ID overrides included)
//   one-off from reserve  → move and edit; made recurring → cancel it, schedule the series
//   made by schedule      → an "all events" change of what changed in the series as a whole; an
//                           EXDATE added or an override added or changed → "this occurrence" writes;
//                           a change the narrow writes cannot say (times, rule, RDATEs, an exception
//                           taken back) → one "all events" write carrying the exceptions as sent
import { Op } from '../bayou/ops.ts'
import type { Override } from '../bayou/fields.ts'
import type { CalendarEvent } from '../bayou/rows.ts'
import { DEFAULT_ROOM } from '../bayou/update-functions.ts'
import { CalendarError } from '../errors.ts'
import { importPlanner } from '../ics/plan.ts'
import type { IcsEvent } from '../ics/parse.ts'
import { toInstant } from '../recurrence/zone.ts'

/** A PUT that cannot be stored: the CalDAV precondition (RFC 4791 5.3.2.1) it breaks. */
export class PutRefused extends Error {
  override name = 'PutRefused'
}

export const recurring = (e: IcsEvent): boolean => e.rule !== undefined || e.rdates.length > 0

function valid (op: unknown): Op {
  const parsed = Op.safeParse(JSON.parse(JSON.stringify(op)))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new PutRefused(`the event cannot be stored: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`)
  }
  return parsed.data
}

/** The importer's schedule write for a new series (its checks are the importer's). */
function schedule (e: IcsEvent): Op {
  try {
    return importPlanner([])(e)
  } catch (err) {
    if (err instanceof CalendarError) throw new PutRefused(err.message)
    throw err
  }
}

const instant = (e: IcsEvent): number => e.zone === null ? e.start : toInstant(e.zone, e.start)
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * The writes that make `existing` (undefined: none yet) what the client sent. `stored` is the stored
 * event as the client reads it, parsed back (so both sides are compared in the parser's own terms).
 */
export function putPlan (incoming: IcsEvent, existing: { row: CalendarEvent, stored: IcsEvent } | undefined): Op[] {
  const room = incoming.location ?? DEFAULT_ROOM
  if (existing === undefined) {
    if (recurring(incoming)) return [schedule(incoming)]
    return [valid({ kind: 'reserve', title: incoming.title, durationMinutes: incoming.durationMinutes, alternatives: [instant(incoming)], room })]
  }
  const { row, stored } = existing
  if (row.recurrence == null) {
    if (recurring(incoming)) return [valid({ kind: 'cancel', eventId: row.id }), schedule(incoming)]
    const ops: Op[] = []
    const start = instant(incoming)
    if (start !== row.start || start + incoming.durationMinutes * 60_000 !== row.end) ops.push(valid({ kind: 'move', eventId: row.id, start, durationMinutes: incoming.durationMinutes }))
    if (incoming.title !== row.title || room !== row.room) ops.push(valid({ kind: 'edit', eventId: row.id, title: incoming.title, room }))
    return ops
  }
  return seriesPlan(row, stored, incoming)
}

function seriesPlan (row: CalendarEvent, stored: IcsEvent, incoming: IcsEvent): Op[] {
  const rec = row.recurrence as NonNullable<CalendarEvent['recurrence']>
  // Text of the series as a whole; a field the client dropped is emptied, a dropped alarm removed.
  const text: Record<string, unknown> = {}
  if (incoming.title !== stored.title) text.title = incoming.title
  if ((incoming.location ?? DEFAULT_ROOM) !== (stored.location ?? DEFAULT_ROOM)) text.room = incoming.location ?? DEFAULT_ROOM
  for (const field of ['description', 'attendees'] as const) {
    if (incoming[field] !== stored[field]) text[field] = incoming[field] ?? ''
  }
  if (incoming.reminderMinutes !== stored.reminderMinutes) text.reminderMinutes = incoming.reminderMinutes ?? null

  const times: Record<string, unknown> = {}
  if (incoming.start !== stored.start || incoming.zone !== stored.zone) Object.assign(times, { start: incoming.start, zone: incoming.zone })
  if (incoming.durationMinutes !== stored.durationMinutes) times.durationMinutes = incoming.durationMinutes
  if (!same(incoming.rule, stored.rule)) times.rule = incoming.rule ?? null
  if (!same(incoming.rdates, stored.rdates)) times.rdates = incoming.rdates

  const cancelled = incoming.exdates.filter(d => !stored.exdates.includes(d))
  const restored = stored.exdates.filter(d => !incoming.exdates.includes(d))
  const keys = [...new Set([...Object.keys(stored.overrides), ...Object.keys(incoming.overrides)])]
  const changed = keys.filter(k => !same(stored.overrides[k] ?? {}, incoming.overrides[k] ?? {}))
  // An occurrence write merges into the override: it cannot take a field (or the whole override) back.
  const takenBack = changed.some(k => Object.keys(stored.overrides[k] ?? {}).some(f => !(f in (incoming.overrides[k] ?? {}))))

  if (Object.keys(times).length > 0 || restored.length > 0 || takenBack) {
    return [valid({ kind: 'series', eventId: row.id, changes: { ...text, ...times, exdates: incoming.exdates, overrides: incoming.overrides } })]
  }
  const ops: Op[] = []
  if (Object.keys(text).length > 0) ops.push(valid({ kind: 'series', eventId: row.id, changes: text }))
  // The occurrences are named as the series stands after the writes before them.
  const rev = rec.shifts.length + ops.length
  for (const key of cancelled) ops.push(valid({ kind: 'occurrence', eventId: row.id, occurrence: key, rev, cancel: true }))
  for (const key of changed) {
    if (cancelled.includes(Number(key))) continue
    ops.push(valid({ kind: 'occurrence', eventId: row.id, occurrence: Number(key), rev, change: incoming.overrides[key] as Override }))
  }
  return ops
}
