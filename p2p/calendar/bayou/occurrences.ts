// The occurrences of an event row in a window: one for a one-off, the expanded recurrence set for an
// event made by `schedule` — its overrides applied, the part after a "this and following" left out
// (it belongs to the series that continues it). Pure; what the slot index, the view and export read.
import { expand } from '../recurrence/expand.ts'
import { toInstant } from '../recurrence/zone.ts'
import { MINUTE } from '../recurrence/civil.ts'
import type { Override, Recurrence } from './fields.ts'
import type { CalendarEvent } from './rows.ts'

export interface RowOccurrence {
  /** The wall-clock start the series gives it: its id within the series (RECURRENCE-ID). */
  key: number
  start: number
  end: number
  title: string
  room: string
  /** It collided with an earlier booking of its room when checked. */
  conflict: boolean
  /** Minutes before the start that the UI reminds: the override's (null there: none), else the series'. */
  reminderMinutes?: number
  override?: Override
}

/** An all-day event (no zone: its dates are the same everywhere)? */
export function isAllDay (event: CalendarEvent): boolean {
  return event.recurrence != null && event.recurrence.zone === null
}

/** Does the row repeat (a rule or extra dates), rather than happen once? */
export function isRecurring (event: CalendarEvent): boolean {
  const rec = event.recurrence
  return rec != null && (rec.rule !== undefined || rec.rdates.length > 0)
}

/** Where an occurrence of `key` starts, as an instant (an all-day one: its date read as UTC). */
export function instantOf (recurrence: Recurrence, local: number): number {
  return recurrence.zone == null ? local : toInstant(recurrence.zone, local)
}

/** The occurrences overlapping [from, to), ascending by start; `truncated` if more than `limit`. */
export function rowOccurrences (event: CalendarEvent, from: number, to: number, limit?: number): { occurrences: RowOccurrence[], truncated: boolean } {
  const rec = event.recurrence
  if (rec == null) {
    const inside = event.start < to && (event.end > from || (event.end === event.start && event.start >= from))
    const one: RowOccurrence = { key: event.start, start: event.start, end: event.end, title: event.title, room: event.room, conflict: event.state === 'conflict' }
    if (event.reminderMinutes !== undefined) one.reminderMinutes = event.reminderMinutes
    return { occurrences: inside ? [one] : [], truncated: false }
  }
  const durationMs = event.end - event.start
  const overrides = Object.entries(rec.overrides).map(([key, o]) => ({ key: Number(key), o }))
  const longest = Math.max(durationMs, ...overrides.map(({ o }) => (o.durationMinutes ?? 0) * MINUTE))
  const conflicts = new Set(rec.conflicts)
  const make = (key: number, start: number, o: Override | undefined): RowOccurrence => {
    const occurrence: RowOccurrence = {
      key,
      start,
      end: start + (o?.durationMinutes !== undefined ? o.durationMinutes * MINUTE : durationMs),
      title: o?.title ?? event.title,
      room: o?.room ?? event.room,
      conflict: conflicts.has(key)
    }
    const reminder = o?.reminderMinutes !== undefined ? o.reminderMinutes : event.reminderMinutes
    if (reminder != null) occurrence.reminderMinutes = reminder
    if (o != null) occurrence.override = o
    return occurrence
  }
  const moved = new Map(overrides.filter(({ o }) => o.start !== undefined).map(({ key, o }) => [key, o]))
  const expanded = expand({ start: rec.start, rule: rec.rule, rdates: rec.rdates, exdates: rec.exdates }, rec.zone, { from, to, durationMs: longest }, limit)
  const out: RowOccurrence[] = []
  for (const { local, start } of expanded.occurrences) {
    if (rec.endsBefore !== undefined && local >= rec.endsBefore) break
    if (moved.has(local)) continue // placed below, where it was moved to
    out.push(make(local, start, rec.overrides[String(local)]))
  }
  for (const [key, o] of moved) {
    if (rec.exdates.includes(key) || (rec.endsBefore !== undefined && key >= rec.endsBefore)) continue
    const occurrence = make(key, o.start as number, o)
    if (occurrence.start < to && (occurrence.end > from || (occurrence.end === occurrence.start && occurrence.start >= from))) out.push(occurrence)
  }
  out.sort((a, b) => a.start - b.start || a.key - b.key)
  return { occurrences: out, truncated: expanded.truncated }
}
