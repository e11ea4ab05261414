// Week arithmetic and formatting in the viewer's local time; pure.

/** Local midnight of the Monday of the week holding `at`. */
export function weekStart (at: Date): Date {
  const d = new Date(at.getFullYear(), at.getMonth(), at.getDate())
  const sinceMonday = (d.getDay() + 6) % 7
  d.setDate(d.getDate() - sinceMonday)
  return d
}

export function addDays (d: Date, days: number): Date {
  const out = new Date(d)
  out.setDate(out.getDate() + days)
  return out
}

export function sameDay (a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
}

/** Hours since local midnight, fractional. */
export function hourOfDay (d: Date): number {
  return d.getHours() + d.getMinutes() / 60
}

export function formatTime (iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false })
}

export function formatDay (d: Date): string {
  return d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })
}

export function formatDateTime (iso: string): string {
  return `${new Date(iso).toLocaleDateString([], { day: 'numeric', month: 'short' })} ${formatTime(iso)}`
}

/**
 * An all-day event's dates, from the UTC midnights of its first day and of the day after its last: the
 * same dates everywhere, so read in UTC, never shifted into the viewer's zone.
 */
export function formatAllDay (startIso: string, endIso: string): string {
  const date = (ms: number): string => new Date(ms).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
  const first = Date.parse(startIso)
  const last = Math.max(first, Date.parse(endIso) - 86_400_000)
  return `${date(first)}${last > first ? ` – ${date(last)}` : ''}, all day`
}

/** An outcome's text ("booked 2026-11-23T10:00:00.000Z") with its ISO instants in local time. */
export function localTimes (text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, formatDateTime)
}

/** `datetime-local` input value (local time, no zone) → ISO instant. */
export function localInputToIso (value: string): string | null {
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null
}


export type CalendarMode = 'month' | 'week' | 'day'

export function dayStart (at: Date): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate())
}

/** YYYY-MM-DD of a local date. */
export function localDate (d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** The days a view of `anchor` shows: a day, a week from Monday, or whole weeks covering the month. */
export function viewDays (mode: CalendarMode, anchor: Date): Date[] {
  if (mode === 'day') return [dayStart(anchor)]
  if (mode === 'week') return Array.from({ length: 7 }, (_, i) => addDays(weekStart(anchor), i))
  const first = weekStart(new Date(anchor.getFullYear(), anchor.getMonth(), 1))
  const last = new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0)
  const days: Date[] = []
  for (let d = first; days.length % 7 !== 0 || d <= last; d = addDays(d, 1)) days.push(d)
  return days
}

/** The anchor one view earlier (-1) or later (+1); a month step keeps within the month (31 Jan → 28 Feb). */
export function stepAnchor (mode: CalendarMode, anchor: Date, step: -1 | 1): Date {
  if (mode === 'day') return addDays(anchor, step)
  if (mode === 'week') return addDays(anchor, 7 * step)
  const target = new Date(anchor.getFullYear(), anchor.getMonth() + step, 1)
  const lastDay = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate()
  return new Date(target.getFullYear(), target.getMonth(), Math.min(anchor.getDate(), lastDay))
}

/** The view's title: "Monday 23 November 2026", "23 – 29 Nov 2026", "November 2026". */
export function viewTitle (mode: CalendarMode, anchor: Date): string {
  if (mode === 'day') return anchor.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  if (mode === 'month') return anchor.toLocaleDateString([], { month: 'long', year: 'numeric' })
  const days = viewDays('week', anchor)
  const [first, last] = [days[0] as Date, days[6] as Date]
  return `${first.toLocaleDateString([], { day: 'numeric', month: 'short' })} – ${last.toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' })}`
}

/** Minutes since local midnight of the point `px` down a day column of `hourPx` per hour, snapped to `step` minutes. */
export function minutesAt (px: number, hourPx: number, step: number): number {
  const minutes = Math.round((px / hourPx) * 60 / step) * step
  return Math.min(Math.max(minutes, 0), 24 * 60 - step)
}

/** The instant `minutes` after local midnight of `day` (DST-safe: the wall clock, not elapsed time). */
export function atMinutes (day: Date, minutes: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), Math.floor(minutes / 60), minutes % 60)
}
