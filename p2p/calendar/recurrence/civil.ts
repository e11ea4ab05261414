// Wall-clock ("local") times as plain numbers: milliseconds since 1970-01-01T00:00 as if the wall clock
// were UTC. Date arithmetic on them is exact (no zone, no DST), which is what RFC 5545 expansion needs:
// a rule describes wall-clock times, and only the finished occurrence is placed in a time zone.

export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000

/** 0 = Sunday … 6 = Saturday, as Date.getUTCDay and RFC 5545's SU..SA. */
export function weekday (day: number): number {
  return ((day % 7) + 11) % 7 // 1970-01-01 (day 0) was a Thursday
}

// Day numbers ↔ dates by arithmetic (H. Hinnant's days_from_civil / civil_from_days, proleptic
// Gregorian as Date is): expansion asks for them on every day of every period, and a Date each time
// was most of its cost.
export function dayNumber (year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

export interface Civil { year: number, month: number, day: number, hour: number, minute: number, second: number }

export function civil (local: number): Civil {
  const days = Math.floor(local / DAY)
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const month = mp < 10 ? mp + 3 : mp - 9
  const seconds = Math.floor((local - days * DAY) / 1000)
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60
  }
}

export function localOf (c: Civil): number {
  const ms = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second)
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  return c.year >= 0 && c.year < 100 ? new Date(ms).setUTCFullYear(c.year) : ms
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

export function isLeapYear (year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth (year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1] as number
}

/** RFC 5545 basic format: 20261209T100000, or 20261209 for a date. */
export function formatLocal (local: number, dateOnly = false): string {
  const c = civil(local)
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  const date = `${p(c.year, 4)}${p(c.month)}${p(c.day)}`
  return dateOnly ? date : `${date}T${p(c.hour)}${p(c.minute)}${p(c.second)}`
}

/** The inverse of formatLocal; null for anything else, or a date that does not exist (Feb 30). */
export function parseLocal (text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?$/.exec(text)
  if (m == null) return null
  const c = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0) }
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysInMonth(c.year, c.month) || c.hour > 23 || c.minute > 59 || c.second > 60) return null
  return localOf({ ...c, second: Math.min(c.second, 59) }) // a leap second is read as :59
}
