// A Tidepool calendar seen as a CalDAV collection: one resource per event (or series), named and
// identified as the client that made it chose (names.ts) or by its UID or id, with an ETag over the
// stored row and its status — so a commit that moved an event, or made it a conflict, gives it a new
// ETag and a new sync token.
import { createHash, randomBytes } from 'node:crypto'
import type { CalendarEvent } from '../bayou/rows.ts'
import type { Replica } from '../bayou/replica.ts'
import { toIcs } from '../ics/export.ts'
import type { CalDavNames } from './names.ts'

export interface EventResource {
  /** The last path segment, decoded. */
  name: string
  uid: string
  etag: string
  row: CalendarEvent
  /** Not yet committed by the primary, or a conflict: STATUS:TENTATIVE, so the client shows it unsettled. */
  tentative: boolean
}

/** Names and UIDs: the client's where it made the event here, else the imported UID, else the event id. */
export function resources (calendarId: string, replica: Replica, names: CalDavNames): EventResource[] {
  const named = new Map([...names.resourcesOf(calendarId)].map(([name, r]) => [r.eventId, { name, uid: r.uid }]))
  const tentativeIds = replica.tentativeEventIds()
  return replica.database.rows<CalendarEvent>('events').map(([, row]) => {
    const { name, uid } = named.get(row.id) ?? { name: `${row.id}.ics`, uid: row.uid ?? `${row.id}@${calendarId}.tidepool` }
    const tentative = row.state === 'conflict' || tentativeIds.has(row.id)
    const etag = `"${createHash('sha256').update(JSON.stringify([uid, tentative, row])).digest('base64url').slice(0, 22)}"`
    return { name, uid, etag, row, tentative }
  })
}

export function eventIcs (calendarName: string, resource: EventResource, now: number): string {
  return toIcs(calendarName, [{ row: resource.row, uid: resource.uid, tentative: resource.tentative }], now)
}

const MAX_SNAPSHOTS = 64

/**
 * Sync tokens (RFC 6578): a token names a snapshot of the collection's names and ETags taken when it
 * was handed out; the changes since are the difference to now. Kept in memory for the last 64 states:
 * an older token, or one from before a restart, is refused and the client syncs in full.
 */
export class SyncTokens {
  private readonly boot = randomBytes(6).toString('hex')
  private readonly snapshots = new Map<string, Array<{ n: number, etags: Map<string, string> }>>()
  private next = 1

  /** The token for the collection as it is now (a new one only when something changed). */
  current (calendarId: string, now: EventResource[]): string {
    const etags = new Map(now.map(r => [r.name, r.etag]))
    const list = this.snapshots.get(calendarId) ?? []
    const last = list.at(-1)
    if (last !== undefined && sameEntries(last.etags, etags)) return this.token(calendarId, last.n)
    const n = this.next++
    list.push({ n, etags })
    if (list.length > MAX_SNAPSHOTS) list.shift()
    this.snapshots.set(calendarId, list)
    return this.token(calendarId, n)
  }

  /** Names changed or added since `token`, and names gone; undefined for a token we do not hold. */
  since (calendarId: string, token: string, now: EventResource[]): { changed: EventResource[], gone: string[] } | undefined {
    const prefix = this.token(calendarId, 0).slice(0, -1)
    if (!token.startsWith(prefix)) return undefined
    const then = this.snapshots.get(calendarId)?.find(s => String(s.n) === token.slice(prefix.length))?.etags
    if (then === undefined) return undefined
    const names = new Set(now.map(r => r.name))
    return { changed: now.filter(r => then.get(r.name) !== r.etag), gone: [...then.keys()].filter(name => !names.has(name)) }
  }

  private token (calendarId: string, n: number): string {
    return `urn:tidepool:sync:${this.boot}:${calendarId}:${n}`
  }
}

function sameEntries (a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)
}
