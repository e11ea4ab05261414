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

export function dayNumber (year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY)
}

export interface Civil { year: number, month: number, day: number, hour: number, minute: number, second: number }

export function civil (local: number): Civil {
  const d = new Date(local)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
}

export function localOf (c: Civil): number {
  const ms = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second)
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  return c.year >= 0 && c.year < 100 ? new Date(ms).setUTCFullYear(c.year) : ms
}

export function daysInMonth (year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function isLeapYear (year: number): boolean {
  return daysInMonth(year, 2) === 29
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
