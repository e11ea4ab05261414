// The API's face of series: request bodies for the series writes (wall-clock times as text, RRULE as
// text) → the update functions' data, and the date-range query of expanded occurrences. Pure.
import { z } from 'zod'
import { Op } from './bayou/ops.ts'
import type { Recurrence } from './bayou/fields.ts'
import type { CalendarEvent } from './bayou/rows.ts'
import { rowOccurrences } from './bayou/occurrences.ts'
import { DEFAULT_ROOM } from './bayou/update-functions.ts'
import type { Replica } from './bayou/replica.ts'
import { DAY, formatLocal, parseLocal } from './recurrence/civil.ts'
import { parseRule, RuleError, type Rule } from './recurrence/rule.ts'
import { toInstant } from './recurrence/zone.ts'

/** `2026-11-02T10:00`, `2026-11-02T10:00:00` or, for all-day events, `2026-11-02`: no offset, a wall clock. */
const WallClock = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'a wall-clock time like 2026-11-02T10:00 (no offset) or a date')
/** An occurrence id as the occurrences query gives it: `20261116T100000` (or `20261116`). */
const OccurrenceKey = z.string().regex(/^\d{8}(T\d{6})?$/, 'an occurrence id like 20261116T100000')
const IsoTime = z.iso.datetime({ offset: true })
const EventId = z.string().min(3).max(400)
const DetailFields = { description: z.string().optional(), attendees: z.string().optional(), reminderMinutes: z.number().optional() }
const Changes = z.object({
  start: WallClock.optional(),
  zone: z.string().nullable().optional(),
  durationMinutes: z.number().optional(),
  rrule: z.string().max(1000).nullable().optional(),
  title: z.string().optional(),
  room: z.string().optional(),
  ...DetailFields
}).strict()

export const SeriesWriteRequest = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('schedule'),
    title: z.string(),
    room: z.string().optional(),
    start: WallClock,
    /** IANA zone of a timed event; absent for an all-day one (start is then a date). */
    zone: z.string().optional(),
    durationMinutes: z.number(),
    rrule: z.string().max(1000).optional(),
    rdates: z.array(WallClock).optional(),
    exdates: z.array(WallClock).optional(),
    ...DetailFields
  }).strict(),
  z.object({
    op: z.literal('occurrence'),
    eventId: EventId,
    occurrence: OccurrenceKey,
    rev: z.number(),
    cancel: z.literal(true).optional(),
    change: z.object({ start: IsoTime.optional(), durationMinutes: z.number().optional(), title: z.string().optional(), room: z.string().optional(), ...DetailFields }).strict().optional()
  }).strict(),
  z.object({ op: z.literal('following'), eventId: EventId, occurrence: OccurrenceKey, rev: z.number(), changes: Changes }).strict(),
  z.object({ op: z.literal('series'), eventId: EventId, changes: Changes }).strict()
])
export type SeriesWriteRequest = z.infer<typeof SeriesWriteRequest>

export class SeriesRequestError extends Error {
  override name = 'SeriesRequestError'
}

function wallClock (text: string, field: string): number {
  const local = parseLocal(text.replace(/[-:]/g, '').padEnd(text.includes('T') ? 15 : 8, '0'))
  if (local == null) throw new SeriesRequestError(`${field}: ${text} is not a date that exists`)
  return local
}

function rule (text: string, zone: string | null, field: string): Rule {
  try {
    return parseRule(text, { fromUtc: u => u, fromLocal: (l, isDate) => zone == null ? l : toInstant(zone, isDate ? l + DAY - 1 : l) })
  } catch (err) {
    if (err instanceof RuleError) throw new SeriesRequestError(`${field}: ${err.message}`)
    throw err
  }
}

function changesOf (c: z.infer<typeof Changes>, zone: string | null): Record<string, unknown> {
  const { start, rrule, ...rest } = c
  const effectiveZone = c.zone !== undefined ? c.zone : zone
  return {
    ...rest,
    ...(start !== undefined ? { start: wallClock(start, 'changes.start') } : {}),
    ...(rrule !== undefined ? { rule: rrule === null ? null : rule(rrule, effectiveZone, 'changes.rrule') } : {})
  }
}

/**
 * A series write's body → its update function's data, checked against the op schema. `zoneOf` gives
 * an existing event's zone (an RRULE's UNTIL is read in it).
 */
export function seriesOp (body: SeriesWriteRequest, zoneOf: (eventId: string) => string | null): Op {
  let op: unknown
  switch (body.op) {
    case 'schedule': {
      const { op: _o, rrule, rdates, exdates, start, zone, room, ...rest } = body
      const z = zone ?? null
      op = {
        ...rest,
        kind: 'schedule',
        room: room ?? DEFAULT_ROOM,
        zone: z,
        start: wallClock(start, 'start'),
        ...(rrule !== undefined ? { rule: rule(rrule, z, 'rrule') } : {}),
        ...(rdates !== undefined ? { rdates: rdates.map(d => wallClock(d, 'rdates')) } : {}),
        ...(exdates !== undefined ? { exdates: exdates.map(d => wallClock(d, 'exdates')) } : {})
      }
      break
    }
    case 'occurrence': {
      const { op: _o, occurrence, change, ...rest } = body
      const { start, ...other } = change ?? {}
      op = { ...rest, kind: 'occurrence', occurrence: wallClock(occurrence, 'occurrence'), ...(change !== undefined ? { change: { ...other, ...(start !== undefined ? { start: Date.parse(start) } : {}) } } : {}) }
      break
    }
    case 'following':
      op = { kind: 'following', eventId: body.eventId, occurrence: wallClock(body.occurrence, 'occurrence'), rev: body.rev, changes: changesOf(body.changes, zoneOf(body.eventId)) }
      break
    case 'series':
      op = { kind: 'series', eventId: body.eventId, changes: changesOf(body.changes, zoneOf(body.eventId)) }
      break
  }
  const parsed = Op.safeParse(JSON.parse(JSON.stringify(op)))
  if (!parsed.success) throw new SeriesRequestError(parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; '))
  return parsed.data
}

export interface OccurrenceView {
  /** The event (series or one-off) it belongs to: the eventId of writes on it. */
  seriesId: string
  /** `seriesId/20261116T100000`: unique in the calendar. */
  occurrenceId: string
  /** Its id within the series (RECURRENCE-ID), for `occurrence` and `following` writes. */
  occurrence: string
  /** The series' count of "all events" changes: send it back as `rev`. */
  rev: number
  recurring: boolean
  title: string
  room: string
  /** ISO instants; for an all-day event, UTC midnights of its dates. */
  start: string
  end: string
  allDay: boolean
  /** The IANA zone the event keeps (null: all-day). */
  zone: string | null
  status: 'committed' | 'tentative' | 'conflict'
  /** This occurrence was changed on its own ("this occurrence"). */
  changed: boolean
  description: string | null
  attendees: string | null
  reminderMinutes: number | null
}

export const MAX_RANGE_DAYS = 400
export const MAX_OCCURRENCES = 20_000

/** The occurrences overlapping [from, to), by start: at most MAX_OCCURRENCES (`truncated` then). */
export function occurrencesView (replica: Replica, from: number, to: number): { occurrences: OccurrenceView[], truncated: boolean } {
  const tentative = replica.tentativeEventIds()
  const out: OccurrenceView[] = []
  let truncated = false
  for (const [, event] of replica.database.rows<CalendarEvent>('events')) {
    const rec: Recurrence | undefined = event.recurrence
    const found = rowOccurrences(event, from, to, MAX_OCCURRENCES)
    truncated ||= found.truncated
    for (const o of found.occurrences) {
      const allDay = rec != null && rec.zone == null
      const key = formatLocal(o.key, allDay)
      out.push({
        seriesId: event.id,
        occurrenceId: rec == null ? event.id : `${event.id}/${key}`,
        occurrence: key,
        rev: rec?.shifts.length ?? 0,
        recurring: rec != null && (rec.rule !== undefined || rec.rdates.length > 0),
        title: o.title,
        room: o.room,
        start: new Date(o.start).toISOString(),
        end: new Date(o.end).toISOString(),
        allDay,
        zone: rec?.zone ?? (rec == null ? 'UTC' : null),
        status: o.conflict ? 'conflict' : tentative.has(event.id) ? 'tentative' : 'committed',
        changed: o.override != null,
        description: o.override?.description ?? event.description ?? null,
        attendees: event.attendees ?? null,
        reminderMinutes: event.reminderMinutes ?? null
      })
    }
  }
  out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.occurrenceId < b.occurrenceId ? -1 : 1))
  if (out.length > MAX_OCCURRENCES) return { occurrences: out.slice(0, MAX_OCCURRENCES), truncated: true }
  return { occurrences: out, truncated }
}
