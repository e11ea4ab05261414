// .ics files as calendar apps write them → events to schedule, series kept as series (RRULE, RDATE,
// EXDATE, RECURRENCE-ID overrides, UIDs). Pure: text in, events out. Anything wrong is a `bad-ics`
// CalendarError naming the line or the event; anything merely odd (a time zone we cannot place) is
// imported as well as it can be and listed in `warnings`.
import ICAL from 'ical.js'
import { CalendarError } from '../errors.ts'
import { DAY, MINUTE, formatLocal, parseLocal } from '../recurrence/civil.ts'
import { parseRule, RuleError, type Rule } from '../recurrence/rule.ts'
import { isTimeZone, toInstant, toLocal } from '../recurrence/zone.ts'
import type { Override } from '../bayou/fields.ts'
import { lex, unescapeText, type Component, type Property } from './lexer.ts'
import { WINDOWS_ZONES } from './windows-zones.ts'

export const MAX_ICS_BYTES = 10 * 1024 * 1024
export const MAX_IMPORTED_EVENTS = 5000
const MAX_DATES = 2000
const MAX_DURATION_MINUTES = 366 * 24 * 60
const UNTITLED = '(untitled)'

export interface IcsEvent {
  uid: string
  /** Set on an override whose series is not in the file: the occurrence's instant (a date: as UTC). */
  recurrenceId?: number
  /** An override of that kind that cancels its occurrence (STATUS:CANCELLED). */
  cancelled?: boolean
  title: string
  location?: string
  description?: string
  attendees?: string
  reminderMinutes?: number
  /** DTSTART as wall clock in `zone`; for an all-day event (zone null), midnight of its first day. */
  start: number
  zone: string | null
  durationMinutes: number
  rule?: Rule
  rdates: number[]
  exdates: number[]
  overrides: Record<string, Override>
}

export interface ParsedIcs { events: IcsEvent[], warnings: string[] }

/** A time as written: wall clock in `zone` (null: a DATE). */
interface Written { local: number, date: boolean, zone: string | null }

const bad = (where: string, what: string): CalendarError => new CalendarError('bad-ics', `${where}: ${what}`)

function serialize (c: Component): string {
  const params = (p: Property): string => Object.entries(p.params).map(([k, v]) => `;${k}=${/[;:,]/.test(v) ? `"${v}"` : v}`).join('')
  return [`BEGIN:${c.name}`, ...c.properties.map(p => `${p.name}${params(p)}:${p.value}`), ...c.components.map(serialize), `END:${c.name}`].join('\r\n')
}

/** TZIDs → a zone the runtime knows, or a converter built from the file's own VTIMEZONE. */
class Zones {
  private readonly definitions = new Map<string, Component>()
  private readonly fallbacks = new Map<string, ((local: number) => number) | null>()
  readonly floating: string
  private readonly warnings: string[]

  constructor (calendar: Component, warnings: string[]) {
    this.warnings = warnings
    for (const tz of calendar.components.filter(c => c.name === 'VTIMEZONE')) {
      const id = tz.properties.find(p => p.name === 'TZID')?.value
      if (id != null) this.definitions.set(id, tz)
    }
    // Floating times are read in the calendar's own zone when it names one (Google, Apple), else UTC.
    const named = calendar.properties.find(p => p.name === 'X-WR-TIMEZONE')?.value.trim()
    this.floating = named != null && isTimeZone(named) ? named : 'UTC'
  }

  /** An IANA name for the TZID, trying: as is, a path ending in one, X-LIC-LOCATION, Windows names. */
  iana (tzid: string): string | null {
    const candidates = [tzid, tzid.split('/').slice(-2).join('/'), tzid.split('/').slice(-3).join('/'), WINDOWS_ZONES[tzid] ?? '']
    const location = this.definitions.get(tzid)?.properties.find(p => p.name === 'X-LIC-LOCATION')?.value
    if (location != null) candidates.push(location)
    return candidates.find(c => c !== '' && isTimeZone(c)) ?? null
  }

  /** The file's VTIMEZONE as a converter (wall clock → instant), when ical.js can use it. */
  fallback (tzid: string): ((local: number) => number) | null {
    if (this.fallbacks.has(tzid)) return this.fallbacks.get(tzid) as ((local: number) => number) | null
    let convert: ((local: number) => number) | null = null
    const definition = this.definitions.get(tzid)
    if (definition != null && definition.components.length > 0) {
      try {
        const zone = new ICAL.Timezone(new ICAL.Component(ICAL.parse(serialize(definition)) as unknown as unknown[]))
        convert = local => {
          const d = new Date(local)
          return ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate: false }, zone).toUnixTime() * 1000
        }
        convert(Date.UTC(2020, 0, 1)) // an unusable definition throws here, not later
      } catch {
        convert = null
      }
    }
    this.warnings.push(convert != null
      ? `time zone "${tzid}" is not one this app knows: its times were converted with the file's VTIMEZONE and kept in UTC (they will not follow daylight saving)`
      : `time zone "${tzid}" is unknown and the file does not define it usably: its times were read as UTC`)
    this.fallbacks.set(tzid, convert)
    return convert
  }
}

function readTime (p: Property, zones: Zones, where: string): Written {
  const value = p.value.trim()
  const isDate = p.params.VALUE === 'DATE' || /^\d{8}$/.test(value)
  const utc = value.endsWith('Z') || value.endsWith('z')
  const local = parseLocal(utc ? value.slice(0, -1) : value)
  if (local == null) throw bad(where, `${p.name} "${value}" is not a date or date-time (line ${p.line})`)
  if (isDate) return { local, date: true, zone: null }
  if (utc) return { local, date: false, zone: 'UTC' }
  const tzid = p.params.TZID
  if (tzid == null) return { local, date: false, zone: zones.floating }
  const iana = zones.iana(tzid)
  if (iana != null) return { local, date: false, zone: iana }
  const convert = zones.fallback(tzid)
  return { local: convert == null ? local : convert(local), date: false, zone: 'UTC' }
}

/** A written time → the wall clock of a series in `zone` (null: all-day, dates). */
function inSeries (t: Written, zone: string | null, start: number): number {
  if (zone == null) return t.date ? t.local : Math.floor(toInstant(t.zone as string, t.local) / DAY) * DAY
  if (t.date) return t.local + (((start % DAY) + DAY) % DAY) // a date in a timed series: that day, at DTSTART's time
  return t.zone === zone ? t.local : toLocal(zone, toInstant(t.zone as string, t.local))
}

function instantOf (t: Written): number {
  return t.date || t.zone == null ? t.local : toInstant(t.zone, t.local)
}

/** RDATE/EXDATE: several properties, each a comma list; a PERIOD (RDATE;VALUE=PERIOD) counts by its start. */
function dateList (props: Property[], zones: Zones, zone: string | null, start: number, where: string): number[] {
  const out: number[] = []
  for (const p of props) {
    for (const item of p.value.split(',')) {
      if (item.trim() === '') continue
      const value = p.params.VALUE === 'PERIOD' || item.includes('/') ? item.split('/')[0] as string : item
      const params = { ...p.params }
      if (params.VALUE === 'PERIOD') delete params.VALUE
      out.push(inSeries(readTime({ ...p, params, value }, zones, where), zone, start))
    }
  }
  if (out.length > MAX_DATES) throw bad(where, `more than ${MAX_DATES} ${props[0]?.name ?? ''} dates`)
  return [...new Set(out)].sort((a, b) => a - b)
}

function durationMinutes (text: string, where: string, line: number): number {
  try {
    return ICAL.Duration.fromString(text.trim()).toSeconds() / 60
  } catch {
    throw bad(where, `DURATION "${text}" is not a duration (line ${line})`)
  }
}

function text (c: Component, name: string, max: number): string | undefined {
  const value = c.properties.find(p => p.name === name)?.value
  const clean = value == null ? '' : unescapeText(value).trim()
  return clean === '' ? undefined : clean.slice(0, max)
}

function attendees (c: Component): string | undefined {
  const own = text(c, 'X-TIDEPOOL-ATTENDEES', 2000)
  if (own != null) return own
  const list = c.properties.filter(p => p.name === 'ATTENDEE').map(p => {
    const address = p.value.replace(/^mailto:/i, '')
    return p.params.CN != null ? `${p.params.CN} <${address}>` : address
  })
  return list.length === 0 ? undefined : list.join(', ').slice(0, 2000)
}

/** The first VALARM that fires before (or at) the start: its lead time in minutes. */
function reminder (c: Component): number | undefined {
  for (const alarm of c.components.filter(a => a.name === 'VALARM')) {
    const trigger = alarm.properties.find(p => p.name === 'TRIGGER')
    if (trigger == null || trigger.params.VALUE === 'DATE-TIME' || trigger.params.RELATED === 'END') continue
    try {
      const seconds = ICAL.Duration.fromString(trigger.value.trim()).toSeconds()
      if (seconds <= 0 && seconds >= -4 * 7 * DAY / 1000) return Math.round(-seconds / 60)
    } catch { /* an unreadable alarm is left out */ }
  }
  return undefined
}

interface Parsed { event: IcsEvent, recurrenceId: Written | null, cancelled: boolean }

function parseEvent (c: Component, zones: Zones, warnings: string[]): Parsed {
  const uid = text(c, 'UID', 400) ?? `line-${c.line}`
  const where = `event "${uid}" (line ${c.line})`
  const prop = (name: string): Property | undefined => c.properties.find(p => p.name === name)
  const dtstart = prop('DTSTART')
  if (dtstart == null) throw bad(where, 'no DTSTART')
  const start = readTime(dtstart, zones, where)
  const zone = start.date ? null : start.zone
  let minutes = start.date ? 24 * 60 : 0
  const dtend = prop('DTEND')
  const duration = prop('DURATION')
  if (dtend != null) minutes = (instantOf(readTime(dtend, zones, where)) - instantOf(start)) / MINUTE
  else if (duration != null) minutes = durationMinutes(duration.value, where, duration.line)
  if (!(minutes >= 0)) throw bad(where, `${dtend != null ? `DTEND (line ${dtend.line}) is before DTSTART` : 'DURATION is negative'}`)
  if (minutes > MAX_DURATION_MINUTES) { warnings.push(`${where}: longer than 366 days; cut to 366`); minutes = MAX_DURATION_MINUTES }
  const rrules = c.properties.filter(p => p.name === 'RRULE')
  if (rrules.length > 1) warnings.push(`${where}: ${rrules.length} RRULEs (deprecated by RFC 5545); only the first is kept`)
  let rule: Rule | undefined
  if (rrules[0] != null) {
    try {
      rule = parseRule(rrules[0].value, {
        fromUtc: u => u,
        fromLocal: (l, isDate) => zone == null ? l : toInstant(zone, isDate ? l + DAY - 1 : l)
      })
    } catch (err) {
      if (err instanceof RuleError) throw bad(where, `RRULE (line ${rrules[0].line}): ${err.message}`)
      throw err
    }
  }
  const event: IcsEvent = {
    uid,
    title: text(c, 'SUMMARY', 200) ?? UNTITLED,
    start: start.local,
    zone,
    durationMinutes: Math.round(minutes),
    ...(rule !== undefined ? { rule } : {}),
    rdates: dateList(c.properties.filter(p => p.name === 'RDATE'), zones, zone, start.local, where),
    exdates: dateList(c.properties.filter(p => p.name === 'EXDATE'), zones, zone, start.local, where),
    overrides: {}
  }
  const optional = { location: text(c, 'LOCATION', 100), description: text(c, 'DESCRIPTION', 4000), attendees: attendees(c), reminderMinutes: reminder(c) }
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(event, { [key]: value })
  const recurrenceId = prop('RECURRENCE-ID')
  return { event, recurrenceId: recurrenceId == null ? null : readTime(recurrenceId, zones, where), cancelled: prop('STATUS')?.value.trim().toUpperCase() === 'CANCELLED' }
}

/** What an override changes of its series' occurrence `key`. */
function overrideOf (master: IcsEvent, key: number, o: IcsEvent): Override {
  const out: Override = {}
  const naturalStart = master.zone == null ? key : toInstant(master.zone, key)
  const start = o.zone == null ? o.start : toInstant(o.zone, o.start)
  if (start !== naturalStart) out.start = start
  if (o.durationMinutes !== master.durationMinutes) out.durationMinutes = o.durationMinutes
  if (o.title !== master.title) out.title = o.title
  if (o.location !== undefined && o.location !== master.location) out.room = o.location
  if (o.description !== undefined && o.description !== master.description) out.description = o.description
  // Each RECURRENCE-ID event lists its alarms in full: none there is none for that occurrence.
  if (o.reminderMinutes !== master.reminderMinutes) out.reminderMinutes = o.reminderMinutes ?? null
  return out
}

export function parseIcs (input: string): ParsedIcs {
  if (Buffer.byteLength(input) > MAX_ICS_BYTES) throw new CalendarError('bad-ics', `an .ics file of at most ${MAX_ICS_BYTES} bytes`)
  const root = lex(input)
  const calendar = root.components.find(c => c.name === 'VCALENDAR')
  if (calendar == null) throw new CalendarError('bad-ics', 'not an iCalendar file: no BEGIN:VCALENDAR')
  const warnings: string[] = []
  const zones = new Zones(calendar, warnings)
  const vevents = calendar.components.filter(c => c.name === 'VEVENT')
  if (vevents.length > MAX_IMPORTED_EVENTS) throw new CalendarError('bad-ics', `more than ${MAX_IMPORTED_EVENTS} events`)
  const parsed = vevents.map(v => parseEvent(v, zones, warnings))
  const masters = new Map<string, IcsEvent>()
  const cancelledMasters = new Set<string>()
  for (const { event, recurrenceId, cancelled } of parsed) {
    if (recurrenceId != null) continue
    if (cancelled) { cancelledMasters.add(event.uid); continue }
    if (masters.has(event.uid)) { warnings.push(`event "${event.uid}" appears twice: the first is kept`); continue }
    masters.set(event.uid, event)
  }
  const events = [...masters.values()]
  for (const { event, recurrenceId, cancelled } of parsed) {
    if (recurrenceId == null || cancelledMasters.has(event.uid)) continue
    const master = masters.get(event.uid)
    if (master == null) {
      // Its series is not in the file: an occurrence of a series imported before, or an event of its own.
      events.push({ ...event, recurrenceId: recurrenceId.date ? recurrenceId.local : toInstant(recurrenceId.zone as string, recurrenceId.local), cancelled })
      continue
    }
    const key = inSeries(recurrenceId, master.zone, master.start)
    if (cancelled) master.exdates = [...new Set([...master.exdates, key])].sort((a, b) => a - b)
    else master.overrides[String(key)] = overrideOf(master, key, event)
  }
  return { events, warnings }
}

/** How an occurrence is named in a RECURRENCE-ID: for error messages and orphan UIDs. */
export function recurrenceIdText (instant: number): string {
  return `${formatLocal(instant)}Z`
}
