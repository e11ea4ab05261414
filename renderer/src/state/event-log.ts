// The event log's rule (pure): events that only update the same thing — a download's progress, a peer's
// ping — replace their earlier line instead of pushing everything else out of the log.
import type { TidepoolEvent } from '../api/types.ts'

export interface LoggedEvent {
  seq: number
  at: number
  event: TidepoolEvent
  /** How many events this line stands for (1 unless it replaced earlier updates of the same thing). */
  count: number
}

/** What an event updates, if it is one of a stream of updates; null for an event that stands alone. */
function updates (event: TidepoolEvent): string | null {
  if (event.type === 'files:progress') return `files:${event.file.cid}`
  if (event.type === 'peer:latency') return `latency:${event.peerId}`
  return null
}

/** The log, newest first, at most `size` lines, with `entry` on top in place of the update it replaces. */
export function logEvent (log: LoggedEvent[], entry: Omit<LoggedEvent, 'count'>, size: number): LoggedEvent[] {
  const key = updates(entry.event)
  const earlier = key == null ? -1 : log.findIndex(e => updates(e.event) === key)
  const count = earlier === -1 ? 1 : log[earlier]!.count + 1
  const rest = earlier === -1 ? log : [...log.slice(0, earlier), ...log.slice(earlier + 1)]
  return [{ ...entry, count }, ...rest].slice(0, size)
}
