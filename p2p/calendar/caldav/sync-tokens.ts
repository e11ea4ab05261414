// RFC 6578 sync tokens that survive a restart. Per calendar a change log: a revision number and, per
// resource name, the ETag it had when last seen and the revision it changed at (an ETag of null: the
// resource went, a tombstone). Brought up to date whenever a client asks (the log notes what it sees
// then, so events that arrived while the peer was down count as changes); a token is the revision
// it was handed out at. Kept in the app database's `caldav` sublevel, written before a token is given:
//   sync/<calendarId>/meta → {epoch, rev, floor}     sync/<calendarId>/res/<name> → {etag, rev}
// `epoch` is random per calendar, so a token from a wiped or other database is unknown, never misread;
// `floor` is the newest revision whose tombstones were dropped: a token before it is too old.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { appSublevel, type AppDatabase, type AppSublevel } from '../../store/app-store.ts'
import { SerialQueue } from '../serial-queue.ts'
import type { EventResource } from './collection.ts'

const Meta = z.object({ epoch: z.string().regex(/^[0-9a-f]{12}$/), rev: z.number().int().min(0), floor: z.number().int().min(0) }).strict()
const Entry = z.object({ etag: z.string().nullable(), rev: z.number().int().min(1) }).strict()
type Entry = z.infer<typeof Entry>

export interface ChangeLog { epoch: string, rev: number, floor: number, entries: Map<string, Entry> }

/** Tombstones kept per calendar; past it the oldest go and tokens from before them are refused. */
export const MAX_TOMBSTONES = 5000

const PREFIX = 'urn:tidepool:sync:'
export const tokenOf = (log: ChangeLog): string => `${PREFIX}${log.epoch}:${log.rev}`

/**
 * The log brought up to the collection as it is (`now`: name → ETag): the entries that changed, all
 * at a new revision, and the tombstones dropped past `maxTombstones`. Pure; `log` is not touched.
 */
export function advance (log: ChangeLog, now: ReadonlyMap<string, string>, maxTombstones = MAX_TOMBSTONES): { next: ChangeLog, put: Array<[string, Entry]>, dropped: string[] } {
  const rev = log.rev + 1
  const put: Array<[string, Entry]> = []
  for (const [name, etag] of now) if (log.entries.get(name)?.etag !== etag) put.push([name, { etag, rev }])
  for (const [name, entry] of log.entries) if (entry.etag !== null && !now.has(name)) put.push([name, { etag: null, rev }])
  if (put.length === 0) return { next: log, put, dropped: [] }
  const entries = new Map(log.entries)
  for (const [name, entry] of put) entries.set(name, entry)
  const tombstones = [...entries].filter(([, e]) => e.etag === null).sort((a, b) => a[1].rev - b[1].rev)
  const dropped = tombstones.slice(0, Math.max(0, tombstones.length - maxTombstones))
  let floor = log.floor
  for (const [name, entry] of dropped) { entries.delete(name); floor = Math.max(floor, entry.rev) }
  return { next: { epoch: log.epoch, rev, floor, entries }, put, dropped: dropped.map(([name]) => name) }
}

/** Names changed since `token` and names gone; undefined for a token not of this log or too old. */
export function changesSince (log: ChangeLog, token: string): { changed: string[], gone: string[] } | undefined {
  const prefix = `${PREFIX}${log.epoch}:`
  if (!token.startsWith(prefix) || !/^\d{1,15}$/.test(token.slice(prefix.length))) return undefined
  const since = Number(token.slice(prefix.length))
  if (since < log.floor || since > log.rev) return undefined
  const later = [...log.entries].filter(([, e]) => e.rev > since)
  return { changed: later.filter(([, e]) => e.etag !== null).map(([name]) => name), gone: later.filter(([, e]) => e.etag === null).map(([name]) => name) }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value))

export class SyncTokens {
  private readonly db: AppSublevel
  private readonly logs = new Map<string, ChangeLog>()
  /** One update at a time: two requests never hand out the same revision for different states. */
  private readonly queue = new SerialQueue()

  constructor (db: AppDatabase) {
    this.db = appSublevel(db, 'caldav')
  }

  async load (): Promise<void> {
    for await (const [key, value] of this.db.iterator({ gt: 'sync/', lt: 'sync0' })) {
      const [, calendarId, kind, ...rest] = (key as string).split('/')
      if (calendarId === undefined) continue
      const text = JSON.parse(decoder.decode(value as Uint8Array)) as unknown
      const log = this.logOf(calendarId)
      if (kind === 'meta') Object.assign(log, Meta.parse(text))
      if (kind === 'res') log.entries.set(rest.join('/'), Entry.parse(text))
    }
  }

  private logOf (calendarId: string): ChangeLog {
    let log = this.logs.get(calendarId)
    if (log === undefined) {
      log = { epoch: randomBytes(6).toString('hex'), rev: 0, floor: 0, entries: new Map() }
      this.logs.set(calendarId, log)
    }
    return log
  }

  /** Notes the collection as it is now (on disk before it answers); its log. */
  private async update (calendarId: string, now: EventResource[]): Promise<ChangeLog> {
    const log = this.logOf(calendarId)
    const { next, put, dropped } = advance(log, new Map(now.map(r => [r.name, r.etag])))
    if (next === log && log.rev > 0) return log
    const base = `sync/${calendarId}/`
    await this.db.batch([
      { type: 'put', key: `${base}meta`, value: json({ epoch: next.epoch, rev: Math.max(next.rev, 1), floor: next.floor }) },
      ...put.map(([name, entry]) => ({ type: 'put' as const, key: `${base}res/${name}`, value: json(entry) })),
      ...dropped.map(name => ({ type: 'del' as const, key: `${base}res/${name}` }))
    ])
    // An empty calendar seen for the first time still gets a revision of its own to hand out.
    const stored = { ...next, rev: Math.max(next.rev, 1) }
    this.logs.set(calendarId, stored)
    return stored
  }

  /** The token for the collection as it is now (a new one only when something changed). */
  async current (calendarId: string, now: () => EventResource[]): Promise<string> {
    return await this.queue.run(async () => tokenOf(await this.update(calendarId, now())))
  }

  /** What changed since `token` and the token for now; undefined for a token unknown or too old. */
  async since (calendarId: string, token: string, now: () => EventResource[]): Promise<{ changed: EventResource[], gone: string[], token: string } | undefined> {
    return await this.queue.run(async () => {
      const resources = now()
      const log = await this.update(calendarId, resources)
      const diff = changesSince(log, token)
      if (diff === undefined) return undefined
      const changed = new Set(diff.changed)
      return { changed: resources.filter(r => changed.has(r.name)), gone: diff.gone, token: tokenOf(log) }
    })
  }
}
