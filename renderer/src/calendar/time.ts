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

/** An outcome's text ("booked 2026-11-23T10:00:00.000Z") with its ISO instants in local time. */
export function localTimes (text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, formatDateTime)
}

/** `datetime-local` input value (local time, no zone) → ISO instant. */
export function localInputToIso (value: string): string | null {
  const ms = Date.parse(value)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null
}

