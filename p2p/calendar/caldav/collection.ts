// A Tidepool calendar seen as a CalDAV collection: one resource per event (or series), named and
// identified as the client that made it chose (names.ts) or by its UID or id, with an ETag over the
// stored row, its status and its commit note — so a commit that moved an event, undid a change to
// it or made it a conflict gives it a new ETag and a new sync token, and says so in DESCRIPTION.
import { createHash } from 'node:crypto'
import type { CalendarEvent } from '../bayou/rows.ts'
import { writeId } from '../bayou/order.ts'
import type { Replica } from '../bayou/replica.ts'
import { instantOf, rowOccurrences } from '../bayou/occurrences.ts'
import { formatLocal } from '../recurrence/civil.ts'
import { toIcs } from '../ics/export.ts'
import type { CalDavNames } from './names.ts'

export interface EventResource {
  /** The last path segment, decoded. */
  name: string
  uid: string
  etag: string
  row: CalendarEvent
  /**
   * Not yet committed by the primary, or a conflict (for a series: an occurrence collides):
   * STATUS:TENTATIVE, so the client shows it unsettled.
   */
  tentative: boolean
  /**
   * What the primary's order made of the latest write on the event, where that differs from what it
   * did when first run here (a move undone, a booking made a conflict): shown after DESCRIPTION.
   */
  note: string | undefined
}

/** Per event, the note for its latest write when the commit order changed that write's outcome here. */
function commitNotes (replica: Replica): Map<string, string | undefined> {
  const notes = new Map<string, string | undefined>()
  for (const { write, outcome, firstOutcome } of replica.log()) {
    const op = write.op
    const eventId = op.kind === 'reserve' || op.kind === 'schedule' ? writeId(write) : 'eventId' in op ? op.eventId : undefined
    if (eventId === undefined) continue
    const changed = firstOutcome != null && firstOutcome.detail !== outcome.detail
    notes.set(eventId, changed ? `Tidepool: after syncing, "${firstOutcome.detail}" became "${outcome.detail}".` : undefined)
  }
  return notes
}

/** Names and UIDs: the client's where it made the event here, else the imported UID, else the event id. */
export function resources (calendarId: string, replica: Replica, names: CalDavNames): EventResource[] {
  const named = new Map([...names.resourcesOf(calendarId)].map(([name, r]) => [r.eventId, { name, uid: r.uid }]))
  const tentativeIds = replica.tentativeEventIds()
  const notes = commitNotes(replica)
  return replica.database.rows<CalendarEvent>('events').map(([, row]) => {
    const { name, uid } = named.get(row.id) ?? { name: `${row.id}.ics`, uid: row.uid ?? `${row.id}@${calendarId}.tidepool` }
    const tentative = row.state === 'conflict' || (row.recurrence?.conflicts.length ?? 0) > 0 || tentativeIds.has(row.id)
    const note = notes.get(row.id)
    const etag = `"${createHash('sha256').update(JSON.stringify([uid, tentative, note, row])).digest('base64url').slice(0, 22)}"`
    return { name, uid, etag, row, tentative, note }
  })
}

const separator = '\n\n'

export function eventIcs (calendarName: string, resource: EventResource, now: number): string {
  const { row, note } = resource
  const description = note === undefined ? row.description : [row.description, note].filter(t => t !== undefined && t !== '').join(separator)
  return toIcs(calendarName, [{ row: description === undefined ? row : { ...row, description }, uid: resource.uid, tentative: resource.tentative }], now)
}

/** A client's DESCRIPTION without the commit note we added to what it read: the note is never stored. */
export function withoutNote (description: string | undefined, note: string | undefined): string | undefined {
  if (description === undefined || note === undefined) return description
  const text = description.replace(note, '').trim()
  return text === '' ? undefined : text
}

/** Open time-range bounds, clamped to the range of a Date. */
const EARLIEST = 0
const LATEST = 8.64e15
/** Instances one expanded resource may have in an answer (RFC 4791 9.6.5 sets no bound; we do). */
export const MAX_EXPANDED = 2000

const isSeries = (row: CalendarEvent): boolean => row.recurrence != null && (row.recurrence.rule !== undefined || row.recurrence.rdates.length > 0)

/** RFC 4791 9.9: a resource matches a time-range when any of its instances overlaps it. */
export function overlaps (resource: EventResource, from: number, to: number): boolean {
  const moved = Object.values(resource.row.recurrence?.overrides ?? {}).filter(o => o.start !== undefined).length
  // Moved occurrences are expanded past and placed separately: ask for one more than there are.
  return rowOccurrences(resource.row, Math.max(from, EARLIEST), Math.min(to, LATEST), moved + 1).occurrences.length > 0
}

/**
 * RFC 4791 9.6.5 (CALDAV:expand): a series as its instances within [from, to), each a VEVENT of its own
 * in UTC with its RECURRENCE-ID and no RRULE, RDATE or EXDATE; a one-off event as it is.
 */
export function expandedIcs (calendarName: string, resource: EventResource, from: number, to: number, now: number): string {
  const { row } = resource
  if (!isSeries(row)) return eventIcs(calendarName, resource, now)
  const found = rowOccurrences(row, Math.max(from, EARLIEST), Math.min(to, LATEST), MAX_EXPANDED).occurrences
  const { reminderMinutes: _r, ...series } = row
  const instances = found.map(o => {
    const { reminderMinutes: _o, ...changed } = o.override ?? {}
    const reminder = o.reminderMinutes !== undefined ? { reminderMinutes: o.reminderMinutes } : {}
    return { row: { ...series, ...changed, ...reminder, start: o.start, end: o.end, title: o.title, room: o.room, recurrence: undefined }, uid: resource.uid, tentative: resource.tentative }
  })
  // The exporter writes a row without recurrence as a one-off: each instance gets its RECURRENCE-ID
  // (the start the series gives it, in UTC) before its DTSTART, which a one-off's export writes in UTC.
  const rec = row.recurrence as NonNullable<CalendarEvent['recurrence']>
  const ids = found.map(o => `RECURRENCE-ID:${formatLocal(instantOf(rec, o.key))}Z`)
  let i = 0
  return toIcs(calendarName, instances, now).replace(/\r\nDTSTART:/g, () => `\r\n${ids[i++] as string}\r\nDTSTART:`)
}
