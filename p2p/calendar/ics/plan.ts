// What importing a parsed .ics file writes: one `schedule` per new event or series, one `series`
// ("all events") per event already imported under the same UID (so a re-import updates instead of
// adding again), and one `occurrence` per override whose series was imported before. Pure.
import { Op } from '../bayou/ops.ts'
import type { CalendarEvent } from '../bayou/rows.ts'
import { DEFAULT_ROOM } from '../bayou/update-functions.ts'
import { CalendarError } from '../errors.ts'
import { DAY } from '../recurrence/civil.ts'
import { toInstant, toLocal } from '../recurrence/zone.ts'
import { recurrenceIdText, type IcsEvent } from './parse.ts'

function checked (op: unknown, event: IcsEvent): Op {
  const parsed = Op.safeParse(op)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CalendarError('bad-ics', `event "${event.uid}" ("${event.title}"): ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'not importable'}`)
  }
  return parsed.data
}

function fields (e: IcsEvent): Record<string, unknown> {
  return {
    title: e.title,
    room: e.location ?? DEFAULT_ROOM,
    zone: e.zone,
    start: e.start,
    durationMinutes: e.durationMinutes,
    rdates: e.rdates,
    exdates: e.exdates,
    overrides: e.overrides,
    description: e.description,
    attendees: e.attendees,
    reminderMinutes: e.reminderMinutes
  }
}

const clean = (value: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>

/** The write importing one event of the file, given the calendar's events as they were before the import. */
export function importPlanner (rows: readonly CalendarEvent[]): (event: IcsEvent) => Op {
  const byUid = new Map(rows.filter(r => r.uid !== undefined && r.recurrence != null).map(r => [r.uid as string, r]))
  return e => {
    if (e.recurrenceId !== undefined) {
      const series = byUid.get(e.uid)
      const rec = series?.recurrence
      if (series != null && rec != null) {
        const key = rec.zone == null ? Math.floor(e.recurrenceId / DAY) * DAY : toLocal(rec.zone, e.recurrenceId)
        const change = e.cancelled === true ? { cancel: true } : { change: clean({ start: e.zone == null ? e.start : toInstant(e.zone, e.start), durationMinutes: e.durationMinutes, title: e.title, room: e.location, description: e.description }) }
        return checked({ kind: 'occurrence', eventId: series.id, occurrence: key, rev: rec.shifts.length, ...change }, e)
      }
      // No series for it: an event of its own, under a UID that a re-import finds again.
      e = { ...e, uid: `${e.uid}/${recurrenceIdText(e.recurrenceId)}` }
    }
    const existing = byUid.get(e.uid)
    if (existing != null) return checked(clean({ kind: 'series', eventId: existing.id, changes: { ...fields(e), rule: e.rule ?? null } }), e)
    return checked(clean({ kind: 'schedule', ...fields(e), rule: e.rule, uid: e.uid }), e)
  }
}
