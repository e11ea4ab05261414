// Wall clocks in IANA zones, with the runtime's zone data (Intl), and the basic-format times of the
// occurrences API (20261123T090000). Pure: the editor shows an event's times in the zone it keeps and
// sends wall clocks back; the grid places instants in the viewer's zone.

export interface WallClock { date: string, time: string }

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter (zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (f == null) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(zone, f)
  }
  return f
}

/** The viewer's own zone. */
export function viewerZone (): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

/** Every zone the runtime knows, the viewer's and UTC included. */
export function zoneNames (): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return [...new Set([viewerZone(), 'UTC', ...known])].sort()
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** Fields of `instant` as a wall clock in `zone`, as ms on a UTC scale (wall-clock arithmetic). */
function wallMs (zone: string, instant: number): number {
  const parts: Record<string, number> = {}
  for (const p of formatter(zone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day, parts.hour, parts.minute, parts.second)
}

function splitMs (ms: number): WallClock {
  const d = new Date(ms)
  return { date: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` }
}

function joinMs (w: WallClock): number {
  return Date.parse(`${w.date}T${w.time === '' ? '00:00' : w.time}:00Z`)
}

/** An instant as a wall clock in `zone`. */
export function wallClockIn (zone: string, instant: number): WallClock {
  return splitMs(wallMs(zone, instant))
}

/**
 * A wall clock in `zone` → its instant. A time skipped by a spring-forward is read with the offset
 * before the gap (02:30 → 03:30), one that occurs twice as the first, as RFC 5545 §3.3.5 says.
 */
export function instantIn (zone: string, w: WallClock): number {
  const local = joinMs(w)
  const offset = (instant: number): number => wallMs(zone, instant) - instant
  const first = local - offset(local)
  // The offset at the guess may differ from the one at the answer (a change in between): try both,
  // and the hour before each, keeping the earliest instant that shows this wall clock.
  const tries = [first, local - offset(first)].flatMap(t => [t - 3_600_000, t])
  const fits = tries.filter(t => wallMs(zone, t) === local)
  if (fits.length > 0) return Math.min(...fits)
  return local - offset(local - 86_400_000) // in a gap: the offset from before it
}

/** Minutes from one wall clock to another (both in one zone's wall time). */
export function wallMinutes (from: WallClock, to: WallClock): number {
  return Math.round((joinMs(to) - joinMs(from)) / 60_000)
}

export function addWallMinutes (w: WallClock, minutes: number): WallClock {
  return splitMs(joinMs(w) + minutes * 60_000)
}

/** `20261123T090000` or `20261123` (the occurrences API) → a wall clock (a date's time is ''). */
export function fromBasic (text: string): WallClock {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2}))?/.exec(text)
  if (m == null) throw new Error(`not a basic-format time: ${text}`)
  return { date: `${m[1]}-${m[2]}-${m[3]}`, time: m[4] == null ? '' : `${m[4]}:${m[5]}` }
}

/** A wall clock → the API's request form: `2026-11-23T09:00`, or `2026-11-23` for a date. */
export function toRequest (w: WallClock): string {
  return w.time === '' ? w.date : `${w.date}T${w.time}`
}

/** A date (YYYY-MM-DD) moved by whole days. */
export function addDateDays (date: string, days: number): string {
  return splitMs(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).date
}

/** Whole days from one date to another. */
export function dateDays (from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}
