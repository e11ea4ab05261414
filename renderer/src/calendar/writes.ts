// The editor's draft of an event, and the API writes that make or change it: "schedule" for a new
// event; for a recurring one the three scopes — this event (`occurrence`), this and following
// (`following`), all events (`series`); `move`/`edit` for events booked with alternatives. Pure.
import type { SeriesWriteRequest, WriteRequest } from '../../../p2p/calendar/api.ts'
import { fromRrule, NO_REPEAT, toRrule, WEEKDAYS, type Repeat, type Weekday } from './repeat.ts'
import type { OccurrenceView } from './types.ts'
import { addDateDays, addWallMinutes, dateDays, fromBasic, instantIn, toRequest, wallClockIn, wallMinutes, type WallClock } from './zones.ts'

export type WriteBody = WriteRequest | SeriesWriteRequest
export type Scope = 'this' | 'following' | 'all'

/** The room an event gets when none is named (the API's default). */
export const DEFAULT_ROOM = 'main'

export interface EventDraft {
  title: string
  /** '' for the default room. */
  room: string
  description: string
  attendees: string
  allDay: boolean
  /** The IANA zone the times are written in (and the event keeps); unused when all-day. */
  zone: string
  /** Wall clocks in `zone`; all-day: dates only (time ''), `end` the last day, inclusive. */
  start: WallClock
  end: WallClock
  repeat: Repeat
  reminderMinutes: number | null
}

const blank = { title: '', room: '', description: '', attendees: '', repeat: NO_REPEAT, reminderMinutes: null }

/** A new timed event at `start` (an instant) for `minutes`, in `zone`. */
export function draftAt (start: number, minutes: number, zone: string): EventDraft {
  return { ...blank, allDay: false, zone, start: wallClockIn(zone, start), end: wallClockIn(zone, start + minutes * 60_000) }
}

/** A new all-day event on `date` (YYYY-MM-DD). */
export function draftOnDay (date: string, zone: string): EventDraft {
  return { ...blank, allDay: true, zone, start: { date, time: '' }, end: { date, time: '' } }
}

/** An occurrence as the editor shows it: in the zone its event keeps (an event booked with alternatives, in `viewer`'s). */
export function draftOf (o: OccurrenceView, viewer: string): EventDraft {
  const zone = o.seriesStart == null || o.zone == null ? viewer : o.zone
  const times = o.allDay
    ? { start: { date: o.start.slice(0, 10), time: '' }, end: { date: addDateDays(o.end.slice(0, 10), -1), time: '' } }
    : { start: wallClockIn(zone, Date.parse(o.start)), end: wallClockIn(zone, Date.parse(o.end)) }
  return {
    title: o.title,
    room: o.room === DEFAULT_ROOM ? '' : o.room,
    description: o.description ?? '',
    attendees: o.attendees ?? '',
    allDay: o.allDay,
    zone,
    ...times,
    repeat: fromRrule(o.rrule, o.zone),
    reminderMinutes: o.reminderMinutes
  }
}

export function durationMinutes (d: EventDraft): number {
  if (d.allDay) return (dateDays(d.start.date, d.end.date) + 1) * 1440
  return Math.round((instantIn(d.zone, d.end) - instantIn(d.zone, d.start)) / 60_000)
}

/** What is wrong with a draft, in words, or null. */
export function draftProblem (d: EventDraft): string | null {
  if (d.title.trim() === '') return 'Give the event a title.'
  if (d.start.date === '' || (!d.allDay && d.start.time === '')) return 'Say when it starts.'
  if (d.end.date === '' || (!d.allDay && d.end.time === '')) return 'Say when it ends.'
  if (durationMinutes(d) <= 0) return d.allDay ? 'The last day is before the first.' : 'It ends before it starts.'
  if (d.repeat.preset === 'custom' && d.repeat.ends === 'until' && d.repeat.until < d.start.date) return 'The repeat ends before the event starts.'
  return null
}

const roomOf = (d: EventDraft): string => d.room.trim() === '' ? DEFAULT_ROOM : d.room.trim()
const startInstant = (d: EventDraft): number => d.allDay ? Date.parse(`${d.start.date}T00:00:00Z`) : instantIn(d.zone, d.start)
const ruleOf = (d: EventDraft): string | null => toRrule(d.repeat, d.allDay ? null : d.zone, d.start.date)
const startOf = (d: EventDraft): string => toRequest(d.allDay ? { date: d.start.date, time: '' } : d.start)

/** The schedule write for a new event. */
export function createRequest (d: EventDraft): WriteBody {
  const rrule = ruleOf(d)
  return {
    op: 'schedule',
    title: d.title.trim(),
    ...(d.room.trim() !== '' ? { room: d.room.trim() } : {}),
    start: startOf(d),
    ...(d.allDay ? {} : { zone: d.zone }),
    durationMinutes: durationMinutes(d),
    ...(rrule != null ? { rrule } : {}),
    ...(d.description.trim() !== '' ? { description: d.description.trim() } : {}),
    ...(d.attendees.trim() !== '' ? { attendees: d.attendees.trim() } : {}),
    ...(d.reminderMinutes != null ? { reminderMinutes: d.reminderMinutes } : {})
  }
}

/** The text fields that differ; a reminder set to none is null. */
function detailChanges (before: EventDraft, after: EventDraft): { title?: string, room?: string, description?: string, attendees?: string, reminderMinutes?: number | null } {
  return {
    ...(after.title.trim() !== before.title ? { title: after.title.trim() } : {}),
    ...(roomOf(after) !== roomOf(before) ? { room: roomOf(after) } : {}),
    ...(after.description.trim() !== before.description ? { description: after.description.trim() } : {}),
    ...(after.attendees.trim() !== before.attendees ? { attendees: after.attendees.trim() } : {}),
    ...(after.reminderMinutes !== before.reminderMinutes ? { reminderMinutes: after.reminderMinutes } : {})
  }
}

function timeChanged (before: EventDraft, after: EventDraft): boolean {
  return before.allDay !== after.allDay || startInstant(before) !== startInstant(after) || durationMinutes(before) !== durationMinutes(after) || (!after.allDay && before.zone !== after.zone)
}

/** A weekly rule's plain BYDAY days moved by `days` (an occurrence dragged from Wednesday to Thursday). */
export function shiftWeekdays (rrule: string, days: number): string {
  if (days % 7 === 0) return rrule
  return rrule.replace(/BYDAY=([A-Z,]+)/, (_m, list: string) => `BYDAY=${list.split(',').map(d => {
    const i = WEEKDAYS.indexOf(d as Weekday)
    return i < 0 ? d : WEEKDAYS[(((i + days) % 7) + 7) % 7] as string
  }).join(',')}`)
}

/** The series' new DTSTART when one of its occurrences goes from `before` to `after`: moved by as much. */
function seriesStartFor (o: OccurrenceView, before: EventDraft, after: EventDraft): string {
  const dtstart = fromBasic(o.seriesStart as string)
  const occurrence = fromBasic(o.occurrence)
  const date = addDateDays(dtstart.date, dateDays(occurrence.date, after.start.date))
  if (after.allDay) return date
  if (before.allDay) return toRequest({ date, time: after.start.time })
  return toRequest(addWallMinutes(dtstart, wallMinutes(occurrence, after.start)))
}

/** The writes that change occurrence `o` (shown as `before`) into `after`, for `scope`. Empty: nothing changed. */
export function editRequests (o: OccurrenceView, before: EventDraft, after: EventDraft, scope: Scope): WriteBody[] {
  const details = detailChanges(before, after)
  const moved = timeChanged(before, after)
  const eventId = o.seriesId
  if (o.seriesStart == null) { // booked with alternatives: move and edit
    const out: WriteBody[] = []
    if (moved) out.push({ op: 'move', eventId, start: new Date(startInstant(after)).toISOString(), durationMinutes: durationMinutes(after) })
    const { title, room } = details
    if (title !== undefined || room !== undefined) out.push({ op: 'edit', eventId, ...(title !== undefined ? { title } : {}), ...(room !== undefined ? { room } : {}) })
    return out
  }
  if (o.recurring && scope === 'this') {
    const change = {
      ...details,
      ...(moved ? { start: new Date(startInstant(after)).toISOString(), durationMinutes: durationMinutes(after) } : {})
    }
    return Object.keys(change).length === 0 ? [] : [{ op: 'occurrence', eventId, occurrence: o.occurrence, rev: o.rev, change }]
  }
  const ruleBefore = ruleOf(before)
  const ruleAfter = ruleOf(after)
  // The same weekly rule on an occurrence moved to another weekday: its days move with it.
  const rule = o.recurring && ruleAfter != null && ruleAfter === ruleBefore ? shiftWeekdays(ruleAfter, dateDays(fromBasic(o.occurrence).date, after.start.date)) : ruleAfter
  const changes = {
    ...details,
    ...(moved ? { start: o.recurring && scope === 'all' ? seriesStartFor(o, before, after) : startOf(after), durationMinutes: durationMinutes(after) } : {}),
    ...(before.allDay !== after.allDay || (!after.allDay && before.zone !== after.zone) ? { zone: after.allDay ? null : after.zone } : {}),
    ...(rule !== ruleBefore ? { rrule: rule } : {})
  }
  if (Object.keys(changes).length === 0) return []
  if (o.recurring && scope === 'following') return [{ op: 'following', eventId, occurrence: o.occurrence, rev: o.rev, changes }]
  return [{ op: 'series', eventId, changes }]
}

/** The writes that move occurrence `o` to start at `start` (an instant), keeping its length. */
export function moveRequests (o: OccurrenceView, start: number, scope: Scope, viewer: string): WriteBody[] {
  const before = draftOf(o, viewer)
  const length = Date.parse(o.end) - Date.parse(o.start)
  return editRequests(o, before, { ...before, start: wallClockIn(before.zone, start), end: wallClockIn(before.zone, start + length) }, scope)
}

/**
 * Cancelling `o` for `scope`. "This and following" is a `following` write (the series ends before
 * it) and then a cancel of the continuation it made (its id: that write's id): `cancelMade`.
 */
export function cancelRequest (o: OccurrenceView, scope: Scope): { request: WriteBody, cancelMade: boolean } {
  const eventId = o.seriesId
  if (!o.recurring || scope === 'all' || (scope === 'following' && o.occurrence === o.seriesStart)) return { request: { op: 'cancel', eventId }, cancelMade: false }
  if (scope === 'this') return { request: { op: 'occurrence', eventId, occurrence: o.occurrence, rev: o.rev, cancel: true }, cancelMade: false }
  return { request: { op: 'following', eventId, occurrence: o.occurrence, rev: o.rev, changes: {} }, cancelMade: true }
}
