// The API's face of series: request bodies for the series writes (wall-clock times as text, RRULE as
// text) → the update functions' data, and the date-range query of expanded occurrences. Pure.
import type { OccurrenceView, SeriesChangesRequest, SeriesWriteRequest } from './api.ts'
import { Op } from './bayou/ops.ts'
import type { Recurrence } from './bayou/fields.ts'
import type { CalendarEvent } from './bayou/rows.ts'
import { isAllDay, isRecurring, rowOccurrences } from './bayou/occurrences.ts'
import { DEFAULT_ROOM } from './bayou/update-functions.ts'
import type { Replica } from './bayou/replica.ts'
import { DAY, formatLocal, parseLocal } from './recurrence/civil.ts'
import { formatRule, parseRule, RuleError, untilText, type Rule } from './recurrence/rule.ts'
import { toInstant } from './recurrence/zone.ts'

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

function changesOf (c: SeriesChangesRequest, zone: string | null): Record<string, unknown> {
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
    const allDay = isAllDay(event)
    const rrule = rec?.rule != null ? formatRule(rec.rule, v => untilText(v, allDay)) : null
    const seriesStart = rec == null ? null : formatLocal(rec.start, allDay)
    for (const o of found.occurrences) {
      const key = formatLocal(o.key, allDay)
      out.push({
        seriesId: event.id,
        occurrenceId: rec == null ? event.id : `${event.id}/${key}`,
        occurrence: key,
        rev: rec?.shifts.length ?? 0,
        recurring: isRecurring(event),
        rrule,
        seriesStart,
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
        reminderMinutes: o.reminderMinutes ?? null
      })
    }
  }
  out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.occurrenceId < b.occurrenceId ? -1 : 1))
  if (out.length > MAX_OCCURRENCES) return { occurrences: out.slice(0, MAX_OCCURRENCES), truncated: true }
  return { occurrences: out, truncated }
}
