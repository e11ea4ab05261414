// Wall-clock times in IANA time zones, with the zone data the JavaScript runtime ships (Intl, from ICU):
// no tables of our own to keep up to date. RFC 5545 §3.3.5 decides the two awkward cases: a wall time
// that occurs twice (autumn) is the first of the two; one that does not occur (spring gap) is read with
// the offset from before the gap, so 02:30 on a spring-forward night is 03:30.
import { DAY } from './civil.ts'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter (zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (f == null) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' })
    formatters.set(zone, f)
  }
  return f
}

/** Whether the runtime knows `zone` as an IANA time zone name (Europe/Berlin, UTC, …). */
export function isTimeZone (zone: string): boolean {
  if (zone === '' || zone.length > 64) return false
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

/** The zone's offset at `instant` as Intl gives it (slow: a few microseconds). */
function exactOffset (zone: string, instant: number): number {
  const parts: Record<string, string> = {}
  for (const part of formatter(zone).formatToParts(new Date(instant))) parts[part.type] = part.value
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year)
  const wall = Date.UTC(2000, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  const wallMs = new Date(wall).setUTCFullYear(year)
  return wallMs - (instant - (((instant % 1000) + 1000) % 1000))
}

/** Offsets at 00:00 UTC of each day asked about, per zone: zones change offset at most a few times a year. */
const dayOffsets = new Map<string, Map<number, number>>()
const MAX_CACHED_DAYS = 100_000

function offsetAtDay (zone: string, day: number): number {
  let days = dayOffsets.get(zone)
  if (days == null) { days = new Map(); dayOffsets.set(zone, days) }
  let offset = days.get(day)
  if (offset === undefined) {
    if (days.size > MAX_CACHED_DAYS) days.clear()
    offset = exactOffset(zone, day * DAY)
    days.set(day, offset)
  }
  return offset
}

/** The zone's offset from UTC at `instant`, in ms (Berlin in summer: +7,200,000). */
export function offsetAt (zone: string, instant: number): number {
  const day = Math.floor(instant / DAY)
  const offset = offsetAtDay(zone, day)
  // The same offset at both ends of the UTC day: no transition within it (no zone has two in a day).
  return offset === offsetAtDay(zone, day + 1) ? offset : exactOffset(zone, instant)
}

/** The wall-clock time in `zone` at `instant`. */
export function toLocal (zone: string, instant: number): number {
  return instant + offsetAt(zone, instant)
}

/** The instant at which the wall clock in `zone` shows `local` (RFC 5545 rules for gaps and overlaps). */
export function toInstant (zone: string, local: number): number {
  // Offsets a day either side bracket any single transition near `local`.
  const before = offsetAt(zone, local - DAY)
  const after = offsetAt(zone, local + DAY)
  let best: number | null = null
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = local - offset
    if (offsetAt(zone, instant) === offset && (best == null || instant < best)) best = instant
  }
  if (best != null) return best
  const exact = local - offsetAt(zone, local - before)
  if (toLocal(zone, exact) === local) return exact // a transition not a day away from others (rare)
  return local - before // in the gap: the offset from before it
}
