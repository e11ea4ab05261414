// iCalendar (RFC 5545) in and out, with ical.js. Pure: text in, events out, and back.
// Import expands recurrences (RRULE, RDATE, EXDATE, overrides by RECURRENCE-ID) into single events,
// converting every time to an instant: TZID zones from the file's VTIMEZONEs, all-day and floating
// times as UTC. Export writes each event with UTC times, so a re-import gives the same events.
import ICAL from 'ical.js'
import { CalendarError } from './errors.ts'

export const MAX_ICS_BYTES = 1024 * 1024
export const MAX_IMPORTED_EVENTS = 5000
/** Occurrences taken from one recurring event (an unbounded RRULE stops here). */
export const MAX_OCCURRENCES = 1000
const UNTITLED = '(untitled)'

export interface IcsEvent {
  title: string
  /** ms since the epoch */
  start: number
  end: number
  /** LOCATION, when given. */
  location?: string
}

function instant (time: ICAL.Time): number {
  // A DATE (all-day) or a floating time has no zone: read it as UTC, the same on every machine.
  if (time.isDate || time.zone === ICAL.Timezone.localTimezone) return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second)
  return time.toUnixTime() * 1000
}

function eventOf (title: string | null, start: ICAL.Time, end: ICAL.Time, location: string | null): IcsEvent {
  const event: IcsEvent = { title: (title ?? '').trim().slice(0, 200) || UNTITLED, start: instant(start), end: instant(end) }
  if (location != null && location.trim() !== '') event.location = location.trim().slice(0, 100)
  return event
}

export function parseIcs (text: string): IcsEvent[] {
  if (Buffer.byteLength(text) > MAX_ICS_BYTES) throw new CalendarError('bad-ics', `an .ics file of at most ${MAX_ICS_BYTES} bytes`)
  let root: ICAL.Component
  try {
    root = new ICAL.Component(ICAL.parse(text))
  } catch (err) {
    throw new CalendarError('bad-ics', `not an iCalendar file: ${(err as Error).message}`)
  }
  if (root.name !== 'vcalendar') throw new CalendarError('bad-ics', 'not an iCalendar file: no VCALENDAR')
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone)
  const vevents = root.getAllSubcomponents('vevent').map(v => new ICAL.Event(v))
  const masters = new Map(vevents.filter(e => !e.isRecurrenceException()).map(e => [e.uid, e]))
  const events: IcsEvent[] = []
  const push = (event: IcsEvent): void => {
    if (events.length >= MAX_IMPORTED_EVENTS) throw new CalendarError('bad-ics', `more than ${MAX_IMPORTED_EVENTS} events`)
    events.push(event)
  }
  for (const e of vevents) {
    if (e.startDate == null) throw new CalendarError('bad-ics', `event ${e.uid ?? ''} has no DTSTART`)
    if (e.isRecurrenceException()) {
      const master = masters.get(e.uid)
      if (master != null && master.isRecurring()) { master.relateException(e); continue }
      push(eventOf(e.summary, e.startDate, e.endDate, e.location)) // an override whose series is not in the file
      continue
    }
    if (!e.isRecurring()) {
      push(eventOf(e.summary, e.startDate, e.endDate, e.location))
      continue
    }
  }
  for (const master of masters.values()) {
    if (!master.isRecurring()) continue
    const iterator = master.iterator()
    for (let n = 0, next = iterator.next(); next != null && n < MAX_OCCURRENCES; n++, next = iterator.next()) {
      const occurrence = master.getOccurrenceDetails(next)
      push(eventOf(occurrence.item.summary, occurrence.startDate, occurrence.endDate, occurrence.item.location))
    }
  }
  return events
}

export interface ExportedEvent extends IcsEvent { uid: string, tentative: boolean }

export function toIcs (calendarName: string, events: ExportedEvent[], now: number): string {
  const root = new ICAL.Component(['vcalendar', [], []])
  root.addPropertyWithValue('prodid', '-//Tidepool//Calendar//EN')
  root.addPropertyWithValue('version', '2.0')
  root.addPropertyWithValue('calscale', 'GREGORIAN')
  root.addPropertyWithValue('x-wr-calname', calendarName)
  const utc = (ms: number): ICAL.Time => ICAL.Time.fromJSDate(new Date(ms), true)
  for (const e of events) {
    const v = new ICAL.Component('vevent')
    v.addPropertyWithValue('uid', e.uid)
    v.addPropertyWithValue('dtstamp', utc(now))
    v.addPropertyWithValue('dtstart', utc(e.start))
    v.addPropertyWithValue('dtend', utc(e.end))
    v.addPropertyWithValue('summary', e.title)
    if (e.location != null) v.addPropertyWithValue('location', e.location)
    v.addPropertyWithValue('status', e.tentative ? 'TENTATIVE' : 'CONFIRMED')
    root.addSubcomponent(v)
  }
  return root.toString() + '\r\n'
}
