// The `slots` index: per room and UTC day, what is booked there, so a dependency check reads a day, not
// the calendar. A one-off is listed by its id; an occurrence of a series by `id\0start\0end` (its
// interval: checking it needs no expansion), for the occurrences within the series' checked horizon
// that did not collide. All-day events take no room (as in the calendar apps people come from).
import type { Database, UndoRecord } from './database.ts'
import type { CalendarEvent } from './rows.ts'
import { rowOccurrences } from './occurrences.ts'

const DAY = 86_400_000
/** Occurrences of one series checked for conflicts and indexed (its horizon's first ones). */
export const MAX_CHECKED = 2000
const SEP = '\u0000'

/** The days [start, end) touches. */
function slotKeys (room: string, start: number, end: number): string[] {
  const keys: string[] = []
  for (let day = Math.floor(start / DAY), last = Math.floor((Math.max(end, start + 1) - 1) / DAY); day <= last; day++) keys.push(`${room}${SEP}${day}`)
  return keys
}

/** Slot key → the entries an event puts there. */
function entriesOf (event: CalendarEvent | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const add = (room: string, start: number, end: number, entry: string): void => {
    for (const key of slotKeys(room, start, end)) out.set(key, [...(out.get(key) ?? []), entry])
  }
  if (event == null) return out
  const rec = event.recurrence
  if (rec == null) {
    if (event.state === 'booked') add(event.room, event.start, event.end, event.id)
  } else if (rec.zone != null) {
    for (const o of rowOccurrences(event, rec.horizon[0], rec.horizon[1], MAX_CHECKED).occurrences) {
      if (!o.conflict) add(o.room, o.start, o.end, `${event.id}${SEP}${o.start}${SEP}${o.end}`)
    }
  }
  return out
}

/** Whether nothing but `except` (an event or series id) is booked in `room` during [start, end). */
export function slotFree (db: Database, room: string, start: number, end: number, except?: string): boolean {
  for (const key of slotKeys(room, start, end)) {
    for (const entry of db.get<string[]>('slots', key) ?? []) {
      const [id, s, e] = entry.split(SEP) as [string, string?, string?]
      if (id === except) continue
      const event = s === undefined ? db.get<CalendarEvent>('events', id) as CalendarEvent : { start: Number(s), end: Number(e) }
      if (event.start < end && start < event.end) return false
    }
  }
  return true
}

/** Replaces an event (undefined: none) and keeps the slot index in step, recording both for undo. */
export function saveEvent (db: Database, id: string, before: CalendarEvent | undefined, after: CalendarEvent | undefined, undo: UndoRecord[]): void {
  const removed = entriesOf(before)
  const added = entriesOf(after)
  for (const key of new Set([...removed.keys(), ...added.keys()])) {
    const gone = new Set(removed.get(key) ?? [])
    const now = (db.get<string[]>('slots', key) ?? []).filter(entry => !gone.has(entry))
    const next = [...now, ...(added.get(key) ?? [])].sort()
    const current = db.get<string[]>('slots', key) ?? []
    if (next.length === current.length && next.every((entry, i) => entry === current[i])) continue
    db.put('slots', key, next.length === 0 ? undefined : next, undo)
  }
  db.put('events', id, after, undo)
}
