// The editor's "Repeat" choices ↔ RFC 5545 RRULE values, and a rule in plain words. Pure. A rule the
// choices cannot show (BYSETPOS, 2MO, …, as imported files carry) is kept as it is unless changed.
import { instantIn } from './zones.ts'

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY'
export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const
export type Weekday = typeof WEEKDAYS[number]
const DAY_NAMES: Record<Weekday, string> = { SU: 'Sun', MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat' }
const UNITS: Record<Frequency, string> = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' }

export type Preset = 'none' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'custom' | 'other'

export interface Repeat {
  preset: Preset
  /** custom: the frequency and every how many. */
  freq: Frequency
  interval: number
  /** weekly and custom-weekly: on which days. */
  days: Weekday[]
  ends: 'never' | 'count' | 'until'
  count: number
  /** Last day (YYYY-MM-DD), inclusive. */
  until: string
  /** preset 'other': a rule the choices cannot show, kept as text. */
  text: string
}

export const NO_REPEAT: Repeat = { preset: 'none', freq: 'WEEKLY', interval: 1, days: [], ends: 'never', count: 10, until: '', text: '' }

/** The weekday of a date (YYYY-MM-DD). */
export function weekdayOf (date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] as Weekday
}

/**
 * The RRULE value for the choices, or null for none. UNTIL is the end of that day: in `zone` as a UTC
 * time for a timed series, a date for an all-day one (zone null), as RFC 5545 wants it.
 */
export function toRrule (r: Repeat, zone: string | null, startDate: string): string | null {
  switch (r.preset) {
    case 'none': return null
    case 'other': return r.text
    case 'daily': return 'FREQ=DAILY'
    case 'weekly': return `FREQ=WEEKLY;BYDAY=${(r.days.length > 0 ? r.days : [weekdayOf(startDate)]).join(',')}`
    case 'monthly': return 'FREQ=MONTHLY'
    case 'yearly': return 'FREQ=YEARLY'
    case 'custom': {
      const parts = [`FREQ=${r.freq}`]
      if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`)
      if (r.ends === 'count') parts.push(`COUNT=${Math.max(1, r.count)}`)
      if (r.ends === 'until' && r.until !== '') {
        const compact = r.until.replace(/-/g, '')
        if (zone == null) parts.push(`UNTIL=${compact}`)
        else parts.push(`UNTIL=${new Date(instantIn(zone, { date: r.until, time: '23:59' })).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`)
      }
      if (r.freq === 'WEEKLY' && r.days.length > 0) parts.push(`BYDAY=${r.days.join(',')}`)
      return parts.join(';')
    }
  }
}

function parts (text: string): Map<string, string> {
  return new Map(text.replace(/^RRULE:/i, '').split(';').filter(p => p.includes('=')).map(p => [p.slice(0, p.indexOf('=')).toUpperCase(), p.slice(p.indexOf('=') + 1).toUpperCase()]))
}

/** UNTIL (`20261231T225900Z` or `20261231`) → the day it falls on in `zone` (YYYY-MM-DD). */
function untilDate (value: string, zone: string | null): string {
  const d = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`
  if (!value.endsWith('Z') || zone == null) return d
  const instant = Date.parse(`${d}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}Z`)
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant)
}

/** An RRULE value → the choices showing it (a preset where one fits, else custom, else kept as text). */
export function fromRrule (text: string | null, zone: string | null): Repeat {
  if (text == null) return NO_REPEAT
  const p = parts(text)
  const freq = p.get('FREQ') as Frequency
  const interval = Number(p.get('INTERVAL') ?? '1')
  const byDay = p.get('BYDAY')
  const days = byDay?.split(',') ?? []
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'WKST'])
  const plainDays = days.every(d => (WEEKDAYS as readonly string[]).includes(d))
  if (!(freq in UNITS) || [...p.keys()].some(k => !known.has(k)) || !plainDays || (byDay != null && freq !== 'WEEKLY')) {
    return { ...NO_REPEAT, preset: 'other', text }
  }
  const base: Repeat = { ...NO_REPEAT, freq, interval, days: days as Weekday[] }
  const count = p.get('COUNT')
  const until = p.get('UNTIL')
  if (count == null && until == null && interval === 1 && (p.get('WKST') ?? 'MO') === 'MO') {
    const preset = ({ DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', YEARLY: 'yearly' } as const)[freq]
    if (preset !== 'weekly' || days.length > 0) return { ...base, preset }
  }
  return { ...base, preset: 'custom', ends: count != null ? 'count' : until != null ? 'until' : 'never', count: Number(count ?? '10'), until: until != null ? untilDate(until, zone) : '' }
}

/** A rule in plain words: "Weekly on Mon, Wed", "Every 2 weeks, 5 times", "Monthly until 2026-12-31". */
export function describeRrule (text: string | null, zone: string | null): string {
  const r = fromRrule(text, zone)
  if (r.preset === 'none') return 'Does not repeat'
  if (r.preset === 'other') return `Repeats (${r.text})`
  const every = r.interval === 1
    ? { DAILY: 'Daily', WEEKLY: 'Weekly', MONTHLY: 'Monthly', YEARLY: 'Yearly' }[r.freq]
    : `Every ${r.interval} ${UNITS[r.freq]}s`
  const on = r.freq === 'WEEKLY' && r.days.length > 0 ? ` on ${r.days.map(d => DAY_NAMES[d]).join(', ')}` : ''
  const ends = r.preset !== 'custom' || r.ends === 'never' ? '' : r.ends === 'count' ? `, ${r.count} times` : ` until ${r.until}`
  return `${every}${on}${ends}`
}

export { DAY_NAMES }
