// Events → an .ics file that calendar apps read: a series stays one VEVENT with its RRULE, RDATE and
// EXDATE in its own zone (TZID = the IANA name; apps and this importer know them without a VTIMEZONE),
// each changed occurrence a VEVENT with its RECURRENCE-ID, all-day events as DATE values, UIDs kept.
import { DAY, MINUTE, formatLocal } from '../recurrence/civil.ts'
import { expand } from '../recurrence/expand.ts'
import { formatRule, untilText, type Rule } from '../recurrence/rule.ts'
import { toInstant, toLocal } from '../recurrence/zone.ts'
import type { Recurrence } from '../bayou/fields.ts'
import type { CalendarEvent } from '../bayou/rows.ts'
import { escapeText, fold } from './lexer.ts'

export interface ExportedEvent { row: CalendarEvent, uid: string, tentative: boolean }

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT'])

function time (name: string, local: number, zone: string | null): string {
  if (zone == null) return `${name};VALUE=DATE:${formatLocal(local, true)}`
  if (UTC_ZONES.has(zone)) return `${name}:${formatLocal(local)}Z`
  return `${name};TZID=${zone}:${formatLocal(local)}`
}

const utc = (name: string, instant: number): string => `${name}:${formatLocal(instant)}Z`

/** The wall clock of an instant in the series' zone (all-day: the date). */
function localIn (zone: string | null, instant: number): number {
  return zone == null ? instant : toLocal(zone, instant)
}

/** The rule as exported: a series ended by "this and following" gets an UNTIL, unless COUNT ends it sooner. */
function exportedRule (rec: Recurrence, rule: Rule): Rule {
  if (rec.endsBefore === undefined) return rule
  const zone = rec.zone
  const end = zone == null ? rec.endsBefore : toInstant(zone, rec.endsBefore)
  if (rule.count !== undefined) {
    const from = zone == null ? rec.start : toInstant(zone, rec.start)
    const before = expand({ start: rec.start, rule }, zone, { from, to: end, durationMs: 0 }, rule.count).occurrences.length
    if (before >= rule.count) return rule
  }
  const { count: _c, ...rest } = rule
  const until = zone == null ? rec.endsBefore - DAY : end - 1000
  return { ...rest, until: rule.until !== undefined ? Math.min(rule.until, until) : until }
}

function details (row: { description?: string, attendees?: string, reminderMinutes?: number | null, title: string }): string[] {
  const lines: string[] = []
  if (row.description != null) lines.push(`DESCRIPTION:${escapeText(row.description)}`)
  // Attendees are free text here, not addresses ATTENDEE could carry: kept in a property of ours.
  if (row.attendees != null) lines.push(`X-TIDEPOOL-ATTENDEES:${escapeText(row.attendees)}`)
  if (row.reminderMinutes != null) lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(row.title)}`, `TRIGGER:-PT${row.reminderMinutes}M`, 'END:VALARM')
  return lines
}

function vevent ({ row, uid, tentative }: ExportedEvent, stamp: string): string[] {
  const head = ['BEGIN:VEVENT', `UID:${escapeText(uid)}`, stamp]
  const tail = [`SUMMARY:${escapeText(row.title)}`, `LOCATION:${escapeText(row.room)}`, ...details(row), `STATUS:${tentative ? 'TENTATIVE' : 'CONFIRMED'}`, 'END:VEVENT']
  const rec = row.recurrence
  if (rec == null) return [...head, utc('DTSTART', row.start), utc('DTEND', row.end), ...tail]
  const zone = rec.zone
  const lines = [...head, time('DTSTART', rec.start, zone), time('DTEND', localIn(zone, row.end), zone)]
  if (rec.rule != null) lines.push(`RRULE:${formatRule(exportedRule(rec, rec.rule), v => untilText(v, zone == null))}`)
  for (const d of rec.rdates) lines.push(time('RDATE', d, zone))
  for (const d of rec.exdates) lines.push(time('EXDATE', d, zone))
  const out = [...lines, ...tail]
  const length = row.end - row.start
  for (const [key, o] of Object.entries(rec.overrides)) {
    const natural = zone == null ? Number(key) : toInstant(zone, Number(key))
    const start = o.start ?? natural
    const end = start + (o.durationMinutes !== undefined ? o.durationMinutes * MINUTE : length)
    const merged = { ...row, ...o }
    out.push(...head, time('RECURRENCE-ID', Number(key), zone), time('DTSTART', localIn(zone, start), zone), time('DTEND', localIn(zone, end), zone),
      `SUMMARY:${escapeText(merged.title)}`, `LOCATION:${escapeText(merged.room)}`, ...details(merged), `STATUS:${tentative ? 'TENTATIVE' : 'CONFIRMED'}`, 'END:VEVENT')
  }
  return out
}

export function toIcs (calendarName: string, events: ExportedEvent[], now: number): string {
  const stamp = utc('DTSTAMP', Math.floor(now / 1000) * 1000)
  const lines = ['BEGIN:VCALENDAR', 'PRODID:-//Tidepool//Calendar//EN', 'VERSION:2.0', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${escapeText(calendarName)}`]
  for (const e of events) lines.push(...vevent(e, stamp))
  lines.push('END:VCALENDAR')
  return lines.map(fold).join('\r\n') + '\r\n'
}
