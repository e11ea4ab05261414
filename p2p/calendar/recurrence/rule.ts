// RFC 5545 §3.3.10 recurrence rules: the schema (as data in a write), the text form (RRULE values in
// .ics files) both ways. Frequencies are DAILY to YEARLY: a calendar of meetings has no use for
// HOURLY/MINUTELY/SECONDLY, and refusing them keeps every expansion at most a few hundred
// candidates a period.
import { z } from 'zod'
import { formatLocal, parseLocal } from './civil.ts'

const MAX_TIMES_A_DAY = 288
export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const
export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const

const nonZero = (min: number, max: number): z.ZodType<number> => z.number().int().min(min).max(max).refine(n => n !== 0, 'must not be 0')
const list = <T extends z.ZodType>(item: T, max: number): z.ZodOptional<z.ZodArray<T>> => z.array(item).min(1).max(max).optional()

export const Rule = z.object({
  freq: z.enum(FREQUENCIES),
  interval: z.number().int().min(1).max(1000),
  count: z.number().int().min(1).max(100_000).optional(),
  /**
   * Last possible start (inclusive), in the series' own time: an instant (ms) for a timed series in a
   * zone, a wall-clock date (civil.ts) for an all-day one. Never both count and until (RFC 5545).
   */
  until: z.number().int().min(-8.64e15).max(8.64e15).optional(),
  /** Weekday 0 (SU) … 6 (SA), with an optional ordinal: {day: 1, n: 2} is 2MO, {day: 5, n: -1} is -1FR. */
  byDay: list(z.object({ day: z.number().int().min(0).max(6), n: nonZero(-53, 53).optional() }).strict(), 64),
  byMonthDay: list(nonZero(-31, 31), 62),
  byMonth: list(z.number().int().min(1).max(12), 12),
  byYearDay: list(nonZero(-366, 366), 400),
  byWeekNo: list(nonZero(-53, 53), 106),
  byHour: list(z.number().int().min(0).max(23), 24),
  byMinute: list(z.number().int().min(0).max(59), 60),
  bySecond: list(z.number().int().min(0).max(60), 61),
  bySetPos: list(nonZero(-366, 366), 400),
  /** The day a week starts on (0 = SU); RFC 5545's default is MO. */
  wkst: z.number().int().min(0).max(6)
}).strict()
  .refine(r => r.count === undefined || r.until === undefined, 'COUNT and UNTIL together')
  // Bounds the work a rule from a peer can cause: at most one start every 5 minutes of a day.
  .refine(r => (r.byHour?.length ?? 1) * (r.byMinute?.length ?? 1) * (r.bySecond?.length ?? 1) <= MAX_TIMES_A_DAY, `more than ${MAX_TIMES_A_DAY} times a day (BYHOUR × BYMINUTE × BYSECOND)`)
export type Rule = z.infer<typeof Rule>

export class RuleError extends Error {
  override name = 'RuleError'
}

/** How to read UNTIL, which RFC 5545 gives in the time of DTSTART: see Rule.until. */
export interface UntilContext {
  /** An UNTIL written as a UTC time (…Z) → the rule's value. */
  fromUtc: (instant: number) => number
  /** An UNTIL written as a local date or date-time → the rule's value (a date is the whole day). */
  fromLocal: (local: number, isDate: boolean) => number
}

const numbers = (value: string, name: string): number[] => value.split(',').map(v => {
  if (!/^[+-]?\d{1,3}$/.test(v)) throw new RuleError(`${name}: "${v}" is not a number`)
  return Number(v)
})

/** An RRULE value ("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T230000Z") → a checked Rule. */
export function parseRule (text: string, until: UntilContext): Rule {
  const raw: Record<string, unknown> = { interval: 1, wkst: 1 }
  for (const part of text.trim().replace(/^RRULE:/i, '').split(';')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    if (eq < 1) throw new RuleError(`"${part}" is not NAME=VALUE`)
    const name = part.slice(0, eq).toUpperCase()
    const value = part.slice(eq + 1).toUpperCase()
    switch (name) {
      case 'FREQ':
        if (!(FREQUENCIES as readonly string[]).includes(value)) throw new RuleError(`FREQ=${value} is not supported (only DAILY, WEEKLY, MONTHLY, YEARLY)`)
        raw.freq = value; break
      case 'INTERVAL': case 'COUNT': {
        if (!/^\d{1,6}$/.test(value)) throw new RuleError(`${name}=${value} is not a positive number`)
        raw[name.toLowerCase()] = Number(value); break
      }
      case 'UNTIL': {
        const utc = value.endsWith('Z')
        const local = parseLocal(utc ? value.slice(0, -1) : value)
        if (local == null) throw new RuleError(`UNTIL=${value} is not a date or date-time`)
        raw.until = utc ? until.fromUtc(local) : until.fromLocal(local, !value.includes('T')); break
      }
      case 'BYDAY':
        raw.byDay = value.split(',').map(v => {
          const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(v)
          if (m == null) throw new RuleError(`BYDAY: "${v}" is not a weekday like MO or 2MO or -1FR`)
          const day = WEEKDAYS.indexOf(m[2] as typeof WEEKDAYS[number])
          return m[1] === undefined ? { day } : { day, n: Number(m[1]) }
        }); break
      case 'WKST': {
        const day = WEEKDAYS.indexOf(value as typeof WEEKDAYS[number])
        if (day < 0) throw new RuleError(`WKST=${value} is not a weekday`)
        raw.wkst = day; break
      }
      case 'BYMONTHDAY': raw.byMonthDay = numbers(value, name); break
      case 'BYMONTH': raw.byMonth = numbers(value, name); break
      case 'BYYEARDAY': raw.byYearDay = numbers(value, name); break
      case 'BYWEEKNO': raw.byWeekNo = numbers(value, name); break
      case 'BYHOUR': raw.byHour = numbers(value, name); break
      case 'BYMINUTE': raw.byMinute = numbers(value, name); break
      case 'BYSECOND': raw.bySecond = numbers(value, name); break
      case 'BYSETPOS': raw.bySetPos = numbers(value, name); break
      default:
        if (!name.startsWith('X-')) throw new RuleError(`${name} is not an RRULE part`)
    }
  }
  if (raw.freq === undefined) throw new RuleError('no FREQ')
  const parsed = Rule.safeParse(raw)
  if (!parsed.success) throw new RuleError(parsed.error.issues.map(i => `${i.path.join('.').toUpperCase() || 'RRULE'}: ${i.message}`).join('; '))
  return parsed.data
}

/** A Rule → its RRULE value. `until` turns Rule.until back into its text (…Z, or a date). */
export function formatRule (rule: Rule, until: (value: number) => string): string {
  const parts = [`FREQ=${rule.freq}`]
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`)
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`)
  if (rule.until !== undefined) parts.push(`UNTIL=${until(rule.until)}`)
  if (rule.byDay !== undefined) parts.push(`BYDAY=${rule.byDay.map(d => `${d.n ?? ''}${WEEKDAYS[d.day] as string}`).join(',')}`)
  const lists: Array<[string, number[] | undefined]> = [
    ['BYMONTHDAY', rule.byMonthDay], ['BYMONTH', rule.byMonth], ['BYYEARDAY', rule.byYearDay], ['BYWEEKNO', rule.byWeekNo],
    ['BYHOUR', rule.byHour], ['BYMINUTE', rule.byMinute], ['BYSECOND', rule.bySecond], ['BYSETPOS', rule.bySetPos]
  ]
  for (const [name, values] of lists) if (values !== undefined) parts.push(`${name}=${values.join(',')}`)
  if (rule.wkst !== 1) parts.push(`WKST=${WEEKDAYS[rule.wkst] as string}`)
  return parts.join(';')
}

/** UNTIL as written for a series in a zone (UTC) or an all-day one (a date). */
export function untilText (value: number, allDay: boolean): string {
  return allDay ? formatLocal(value, true) : `${formatLocal(value)}Z`
}
