// When reminders are due: an occurrence with `reminderMinutes` reminds once, from that many minutes
// before its start until it ends (a viewer who opens the app late is still told of a meeting under
// way, never of one that is over). Pure: the clock and what was already shown are passed in.
import type { OccurrenceView } from './types.ts'

type Remindable = Pick<OccurrenceView, 'occurrenceId' | 'start' | 'end' | 'reminderMinutes'>

/** One reminder: the occurrence, its start and the lead time (a moved occurrence reminds again). */
export function reminderKey (o: Remindable): string {
  return `${o.occurrenceId}@${o.start}-${o.reminderMinutes ?? ''}`
}

export function reminderAt (o: Remindable): number | null {
  return o.reminderMinutes == null ? null : Date.parse(o.start) - o.reminderMinutes * 60_000
}

/** The reminders to show now, each once. */
export function dueReminders<T extends Remindable> (occurrences: readonly T[], now: number, shown: ReadonlySet<string>): T[] {
  return occurrences.filter(o => {
    const at = reminderAt(o)
    return at != null && at <= now && now < Math.max(Date.parse(o.end), Date.parse(o.start) + 1) && !shown.has(reminderKey(o))
  })
}

/** When the next reminder falls due after `now`, or null. */
export function nextReminder (occurrences: readonly Remindable[], now: number, shown: ReadonlySet<string>): number | null {
  let next: number | null = null
  for (const o of occurrences) {
    const at = reminderAt(o)
    if (at != null && at > now && !shown.has(reminderKey(o)) && (next == null || at < next)) next = at
  }
  return next
}

/** "Standup starts in 10 minutes (09:00)" / "… starts now" / "… started at 09:00". */
export function reminderText (o: Pick<OccurrenceView, 'title' | 'start' | 'room'>, now: number, time: (iso: string) => string): string {
  const minutes = Math.round((Date.parse(o.start) - now) / 60_000)
  const when = minutes > 0 ? `starts in ${minutes} minute${minutes === 1 ? '' : 's'} (${time(o.start)})` : minutes === 0 ? 'starts now' : `started at ${time(o.start)}`
  return `${o.title} ${when}${o.room !== 'main' ? `, in ${o.room}` : ''}.`
}
